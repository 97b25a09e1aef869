using System.Globalization;
using System.Text.Json.Nodes;

namespace Receiver.LoadBench;

/// <summary>What one fan-out window measured, as one table row and as JSON.</summary>
public sealed record FanOutResult(
    string Load,
    double WindowSeconds,
    double ReceiverCores,
    double ReceiverCpuSeconds,
    double DriverCores,
    double DriverCpuSeconds,
    long ViewerBytes,
    long IdleResidentBytes,
    long EndResidentBytes,
    long PeakResidentBytes,
    int Sessions,
    int LiveSessionsAtEnd,
    double HeapBytes,
    double Gen0,
    double Gen1,
    double Gen2,
    double PauseMs,
    double AllocatedMBps,
    double JitMethods,
    double JitMs,
    MemoryBreakdown Memory,
    Percentiles Latency,
    long KeepingUpViewers,
    long KeepingUpFramesMin,
    long KeepingUpFramesMedian,
    long LostForKeepingUp,
    long StalledViewers,
    long SkippedForStalled,
    double DroppedByReceiver,
    int ClosedViewers,
    IReadOnlyList<string> SenderErrors)
{
    public const string TableHeader =
        "| load | receiver CPU (cores) | driver CPU (cores), CPU-s per GB read | RSS idle → end (peak) MiB | RSS per session MiB | managed heap MiB | GCs gen0/1/2, pause ms | alloc MB/s | JIT methods, ms | latency p50 / p99 / max ms | keeping-up viewers: frames min / median, lost | stalled viewers: fragments skipped (receiver's count) | closed |\n" +
        "|---|---:|---:|---|---:|---:|---|---:|---|---|---|---|---:|";

    public static FanOutResult From(
        LoadOptions options, LoadClip clip, IReadOnlyList<LoadViewer> viewers, ProcessSample idle, ProcessSample before, ProcessSample after, long peakResident,
        ProcessSample driverBefore, ProcessSample driverAfter, long viewerBytes,
        RuntimeReading runtimeBefore, RuntimeReading runtimeAfter, MemoryBreakdown memory, int liveSessions, IReadOnlyList<string> senderErrors)
    {
        var keepingUp = viewers.Where(v => !v.Stalled).ToList();
        var stalled = viewers.Where(v => v.Stalled).ToList();
        var frames = keepingUp.Select(v => v.Tally.VideoFrames).Order().ToArray();
        var receiverSettings = options.ReceiverEnvironment.Select(e => $"{e.Key}={e.Value}").Concat(options.ReceiverOptions).ToList();
        var load = string.Create(CultureInfo.InvariantCulture,
            $"{options.Senders} × {clip.Describe()} {(options.Fast ? "fast" : "real time")}, {options.ViewersPerSession * options.Senders} viewers ({options.StalledPerSession * options.Senders} stalled, {string.Join('/', options.Modes)}, {(options.Client == "raw" ? string.Create(CultureInfo.InvariantCulture, $"raw client, {options.ViewerThreads} threads, rounds ≥ {options.ReadIntervalMs:0.#} ms, rcvbuf {options.ReceiveBuffer / 1024} KiB{(options.ViewerNice != 0 ? $", nice {options.ViewerNice}" : string.Empty)}") : "clientws client")}){(receiverSettings.Count > 0 ? "; receiver " + string.Join(' ', receiverSettings) : string.Empty)}");
        return new FanOutResult(
            load,
            options.Seconds,
            after.CoreFractionSince(before),
            after.CpuSecondsSince(before),
            driverAfter.CoreFractionSince(driverBefore),
            driverAfter.CpuSecondsSince(driverBefore),
            viewerBytes,
            idle.ResidentBytes,
            after.ResidentBytes,
            peakResident,
            options.Senders,
            liveSessions,
            runtimeAfter.HeapBytes,
            runtimeAfter.Gen0 - runtimeBefore.Gen0,
            runtimeAfter.Gen1 - runtimeBefore.Gen1,
            runtimeAfter.Gen2 - runtimeBefore.Gen2,
            (runtimeAfter.PauseSeconds - runtimeBefore.PauseSeconds) * 1000,
            (runtimeAfter.AllocatedBytes - runtimeBefore.AllocatedBytes) / options.Seconds / 1e6,
            runtimeAfter.JitMethods - runtimeBefore.JitMethods,
            (runtimeAfter.JitSeconds - runtimeBefore.JitSeconds) * 1000,
            memory,
            Percentiles.Of(keepingUp.SelectMany(v => v.Tally.LatencyMs)),
            keepingUp.Count,
            frames.Length == 0 ? 0 : frames[0],
            frames.Length == 0 ? 0 : frames[frames.Length / 2],
            keepingUp.Sum(v => v.Tally.MissingFragments),
            stalled.Count,
            stalled.Sum(v => v.Tally.MissingFragments),
            runtimeAfter.DroppedFragments - runtimeBefore.DroppedFragments,
            viewers.Count(v => v.CloseReason is not null),
            senderErrors);
    }

    private static double MiB(double bytes) => bytes / (1024 * 1024);

    /// <summary>The driver's CPU-seconds (senders and viewers) per GB its viewers read in the window.</summary>
    public double DriverCpuPerGB => ViewerBytes > 0 ? DriverCpuSeconds / (ViewerBytes / 1e9) : 0;

    public string TableRow() => string.Create(CultureInfo.InvariantCulture,
        $"| {Load} | {ReceiverCores:F2} | {DriverCores:F2}, {DriverCpuPerGB:F2} ({ViewerBytes / 1e9 / WindowSeconds:F2} GB/s) | {MiB(IdleResidentBytes):F0} → {MiB(EndResidentBytes):F0} ({MiB(PeakResidentBytes):F0}) | {MiB(PeakResidentBytes - IdleResidentBytes) / Sessions:F1} | {(HeapBytes > 0 ? MiB(HeapBytes).ToString("F0", CultureInfo.InvariantCulture) : "no GC yet")} | {Gen0:F0}/{Gen1:F0}/{Gen2:F0}, {PauseMs:F0} | {AllocatedMBps:F1} | {JitMethods:F0}, {JitMs:F0} | {(Latency.Samples == 0 ? "–" : string.Create(CultureInfo.InvariantCulture, $"{Latency.P50:F2} / {Latency.P99:F2} / {Latency.Max:F1}"))} | {KeepingUpViewers}: {KeepingUpFramesMin} / {KeepingUpFramesMedian}, **{LostForKeepingUp}** | {StalledViewers}: {SkippedForStalled} ({DroppedByReceiver:F0}) | {ClosedViewers} |");

    public JsonObject ToJson() => new()
    {
        ["load"] = Load,
        ["windowSeconds"] = WindowSeconds,
        ["receiverCores"] = Math.Round(ReceiverCores, 3),
        ["receiverCpuSeconds"] = Math.Round(ReceiverCpuSeconds, 2),
        ["driverCores"] = Math.Round(DriverCores, 3),
        ["driverCpuSeconds"] = Math.Round(DriverCpuSeconds, 2),
        ["viewerBytes"] = ViewerBytes,
        ["driverCpuSecondsPerGB"] = Math.Round(DriverCpuPerGB, 3),
        ["residentMiB"] = new JsonObject { ["idle"] = Math.Round(MiB(IdleResidentBytes), 1), ["end"] = Math.Round(MiB(EndResidentBytes), 1), ["peak"] = Math.Round(MiB(PeakResidentBytes), 1) },
        ["residentPerSessionMiB"] = Math.Round(MiB(PeakResidentBytes - IdleResidentBytes) / Sessions, 2),
        ["sessions"] = Sessions,
        ["liveSessionsAtEnd"] = LiveSessionsAtEnd,
        ["managedHeapMiB"] = Math.Round(MiB(HeapBytes), 1),
        ["memoryAtEnd"] = Memory.ToJson(),
        ["gc"] = new JsonObject { ["gen0"] = Gen0, ["gen1"] = Gen1, ["gen2"] = Gen2, ["pauseMs"] = Math.Round(PauseMs, 1), ["allocatedMBps"] = Math.Round(AllocatedMBps, 2) },
        ["jit"] = new JsonObject { ["methods"] = JitMethods, ["ms"] = Math.Round(JitMs, 1) },
        ["latencyMs"] = Latency.ToJson(),
        ["keepingUp"] = new JsonObject { ["viewers"] = KeepingUpViewers, ["framesMin"] = KeepingUpFramesMin, ["framesMedian"] = KeepingUpFramesMedian, ["lost"] = LostForKeepingUp },
        ["stalled"] = new JsonObject { ["viewers"] = StalledViewers, ["skipped"] = SkippedForStalled, ["droppedByReceiver"] = DroppedByReceiver },
        ["closedViewers"] = ClosedViewers,
        ["senderErrors"] = new JsonArray(SenderErrors.Select(e => (JsonNode)e).ToArray()),
    };
}
