using System.Globalization;

namespace Receiver.LoadBench;

/// <summary>One stream sent as fast as taken to one receiver: its CPU over the ingest, the wall time and what it dumped.</summary>
/// <remarks><see cref="JitMethods"/>: methods our receiver's JIT compiled during the run (from its <c>/metrics</c>); null for UxPlay.
/// <see cref="Activity"/>: user / system CPU-s, minor page faults and voluntary / involuntary context switches over all
/// the receiver's threads during the run (<see cref="ProcessActivity"/>). <see cref="HandedBackMegabytes"/>: free memory
/// the guest handed back to the host during the run (<see cref="FreePageReporting"/>; null where the kernel does not
/// count it), some of which the run's dump may have needed next.</remarks>
public sealed record IngestRun(string Receiver, int Run, double CpuSeconds, double WallSeconds, long FramesSent, long BytesSent, long BytesDumped, double? JitMethods, string? Error, string Activity = "– | – | –", double? HandedBackMegabytes = null)
{
    public string TableRow() => string.Create(CultureInfo.InvariantCulture,
        $"| {Receiver} | {Run} | {CpuSeconds:F2} | {WallSeconds:F1} | {FramesSent} | {BytesSent / 1e6:F0} | {BytesDumped / 1e6:F0} | {(JitMethods is { } jit ? jit.ToString("F0", CultureInfo.InvariantCulture) : "–")} | {Error ?? "ok"} | {Activity} | {(HandedBackMegabytes is { } mb ? mb.ToString("F0", CultureInfo.InvariantCulture) : "–")} |");
}
