using System.Globalization;

namespace Receiver.LoadBench;

/// <summary>One stream sent as fast as taken to one receiver: its CPU over the ingest, the wall time and what it dumped.</summary>
/// <remarks><see cref="JitMethods"/>: methods our receiver's JIT compiled during the run (from its <c>/metrics</c>); null for UxPlay.</remarks>
public sealed record IngestRun(string Receiver, int Run, double CpuSeconds, double WallSeconds, long FramesSent, long BytesSent, long BytesDumped, double? JitMethods, string? Error)
{
    public string TableRow() => string.Create(CultureInfo.InvariantCulture,
        $"| {Receiver} | {Run} | {CpuSeconds:F2} | {WallSeconds:F1} | {FramesSent} | {BytesSent / 1e6:F0} | {BytesDumped / 1e6:F0} | {(JitMethods is { } jit ? jit.ToString("F0", CultureInfo.InvariantCulture) : "–")} | {Error ?? "ok"} |");
}
