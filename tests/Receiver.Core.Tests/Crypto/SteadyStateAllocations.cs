namespace Receiver.Core.Tests.Crypto;

/// <summary>
/// Bytes a piece of work allocates on this thread once warm. The runtime may allocate on the calling thread while it
/// replaces a running loop's first code with optimized code, which can fall into any single pass while other tests
/// load the machine; the fewest bytes over a few passes is what the work itself allocates (a per-call allocation
/// shows in every pass).
/// </summary>
internal static class SteadyStateAllocations
{
    public static long Measure(Action work, int passes = 5)
    {
        work();
        var fewest = long.MaxValue;
        for (var pass = 0; pass < passes && fewest != 0; pass++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            work();
            fewest = Math.Min(fewest, GC.GetAllocatedBytesForCurrentThread() - before);
        }

        return fewest;
    }
}
