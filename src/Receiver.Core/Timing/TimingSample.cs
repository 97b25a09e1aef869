namespace Receiver.Core.Timing;

/// <summary>
/// One request/reply exchange: t0 our send, t1 sender receive, t2 sender send, t3 our receive (nanoseconds, each on its own clock).
/// </summary>
public readonly record struct TimingSample(long T0, long T1, long T2, long T3)
{
    /// <summary>Sender clock minus local clock.</summary>
    public long Offset => ((T1 - T0) + (T2 - T3)) / 2;

    /// <summary>Round trip, without the sender's processing time.</summary>
    public long Delay => (T3 - T0) - (T2 - T1);
}
