using System.Globalization;
using Receiver.FaultBench;
using Receiver.Sender.Sessions;
using Receiver.Sender.Video;

namespace Receiver.LoadBench;

/// <summary>
/// The same stream sent as fast as each receiver takes it, to UxPlay and to this receiver, alternating, both running
/// at once and both writing the decrypted video to disk (UxPlay's <c>-vdmp</c>, our video dump). Each run's cost is
/// the receiver's user + system CPU time from <c>/proc</c>, read just before the sender connects and once the stream
/// has been taken (the sender's TEARDOWN answered, then one second for the last writes).
/// </summary>
/// <remarks>
/// Both dumps are page-cache writes of the whole stream (about 450 MB for the 180 s clip), and on this kind of virtual
/// machine what such a write costs depends on the memory it lands in more than on the receiver: the balloon reports
/// guest pages that stay free for a few seconds back to the host, and the first write into such a page costs a host
/// fault, so the same dump takes 1.0–1.6 CPU-s of kernel time in memory that has been free for a while and about
/// 0.3 in memory that was freed a moment ago. Left as it is (<see cref="PageState.AsIs"/>), the order of the runs
/// decides which receiver gets which: our dump is deleted after each of our runs, UxPlay's run comes next and writes
/// into the pages that freed, while UxPlay's own dump only grows, so our next run gets memory that has been free the
/// longest. With <see cref="PageState.Hot"/> (the default) every run, warm-up included and for both receivers alike,
/// starts the same way: our dump is deleted, the driver writes a scratch file in the work folder (the file system
/// both dumps are on), the clip's size plus 10 % in picture-sized writes and as much again in 1 MiB writes (a dump
/// written one access unit at a time is cached in small folios from the small free blocks, larger writes in large
/// folios from the large ones: <see cref="ScratchWrite"/>), waits for the kernel's next free page reporting pass to
/// end (<see cref="FreePageReporting"/>: the next one is then two seconds away), deletes the file, and the sender
/// connects at once, so whichever receiver runs next writes its dump into just-freed, host-backed pages. The scratch
/// write is the driver's work and happens before the run's first reading, so it is in neither receiver's figures. The
/// table shows, per run, the memory the guest handed back to the host during it: a run with hundreds of MB there may
/// still have written part of its dump into memory the host had taken back.
/// </remarks>
public sealed class IngestComparison(LoadOptions options, string work)
{
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(1);

    public async Task<IReadOnlyList<IngestRun>> RunAsync(CancellationToken cancellationToken)
    {
        var clip = LoadClip.Named(options.Clip);
        var clipPath = await clip.EnsureAsync(Path.Combine(options.Repository, "bench/.cache"), options.ClipSeconds, cancellationToken);
        var dump = Path.Combine(work, "dump");
        var scratchBytes = new FileInfo(clipPath).Length * 11 / 10;
        await using var receiver = await ReceiverProcess.StartAsync(options.Repository, work, "ingest",
            options.ReceiverOptions.Append($"--Receiver:Diagnostics:DumpVideoDirectory={dump}"), cancellationToken, options.ReceiverEnvironment);
        if (options.ReceiverEnvironment.Count > 0)
        {
            await Console.Error.WriteLineAsync($"receiver environment: {string.Join(' ', options.ReceiverEnvironment.Select(e => $"{e.Key}={e.Value}"))}");
        }

        await Console.Error.WriteLineAsync($"ingest: {receiver}; UxPlay pid {options.UxPlayPid} on port {options.UxPlayPort}; {clip.Describe()}, {options.ClipSeconds} s, as fast as taken; {DescribePageState(options, scratchBytes)}");

        // One short stream to each first, so that neither run 1 pays for loading and compiling code or opening its dump.
        if (options.WarmStreamSeconds is not <= 0)
        {
            await PreparePagesAsync(dump, scratchBytes, cancellationToken);
            await IngestAsync("warm-up ours", 0, receiver.Pid, receiver.ControlPort, clipPath, clip.Fps, options.WarmStreamSeconds, () => DumpedBytes(dump), receiver.Http, cancellationToken);
            await PreparePagesAsync(dump, scratchBytes, cancellationToken);
            await IngestAsync("warm-up UxPlay", 0, options.UxPlayPid, options.UxPlayPort, clipPath, clip.Fps, options.WarmStreamSeconds, UxPlayDumpBytes, null, cancellationToken);
            if (options.PageState == PageState.AsIs)
            {
                ClearDump(dump);
            }
        }

        // Each run reads our /metrics before and after (for the JIT's count): read it often enough first that its
        // exporter's code is compiled at its last tier and adds nothing to the runs in the background.
        for (var i = 0; i < 60; i++)
        {
            await RuntimeReading.ReadAsync(receiver.Http, cancellationToken);
        }

        await Task.Delay(TimeSpan.FromSeconds(3), cancellationToken);

        var runs = new List<IngestRun>();
        for (var run = 1; run <= options.Runs; run++)
        {
            await PreparePagesAsync(dump, scratchBytes, cancellationToken);
            runs.Add(await IngestAsync("UxPlay 1.62", run, options.UxPlayPid, options.UxPlayPort, clipPath, clip.Fps, null, UxPlayDumpBytes, null, cancellationToken));
            await Console.Error.WriteLineAsync(runs[^1].TableRow());
            await PreparePagesAsync(dump, scratchBytes, cancellationToken);
            runs.Add(await IngestAsync("this receiver", run, receiver.Pid, receiver.ControlPort, clipPath, clip.Fps, null, () => DumpedBytes(dump), receiver.Http, cancellationToken));
            await Console.Error.WriteLineAsync(runs[^1].TableRow());
            if (options.PageState == PageState.AsIs)
            {
                ClearDump(dump);
            }

            if (run == 1 && options.ProfileWaitSeconds > 0)
            {
                await Console.Error.WriteLineAsync($"receiver pid {receiver.Pid}: waiting {options.ProfileWaitSeconds} s");
                await Task.Delay(TimeSpan.FromSeconds(options.ProfileWaitSeconds), cancellationToken);
            }
        }

        // The last run's dump is not needed for anything (hot mode deletes it only before the next run).
        ClearDump(dump);

        var severe = receiver.SevereLogLines();
        if (severe.Count > 0)
        {
            await Console.Error.WriteLineAsync($"the receiver logged {severe.Count} errors, the first: {severe[0]}");
        }

        return runs;
    }

    /// <summary>
    /// Hot pages: deletes our dump, then writes and deletes the scratch file, right before a run's first reading
    /// (nothing in as-is mode).
    /// </summary>
    private async Task PreparePagesAsync(string dump, long scratchBytes, CancellationToken cancellationToken)
    {
        if (options.PageState != PageState.Hot)
        {
            return;
        }

        ClearDump(dump);
        var took = await ScratchWrite.WriteAndDeleteAsync(work, scratchBytes, FreePageReporting.WaitForPassEndAsync, cancellationToken);
        await Console.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"scratch: 2 × {scratchBytes / 1e6:F0} MB written in {took.Written.TotalSeconds:F2} s, deleted {took.DeletedWhen} at {DateTime.UtcNow:HH:mm:ss.fff}"));
    }

    private static string DescribePageState(LoadOptions options, long scratchBytes) => options.PageState == PageState.Hot
        ? string.Create(CultureInfo.InvariantCulture, $"page cache hot: before each run our dump deleted, then a scratch file of 2 × {scratchBytes / 1e6:F0} MB written in the work folder and deleted right after the next free page reporting pass")
        : "page cache as-is: our dump deleted after each of our runs, no scratch file";

    private async Task<IngestRun> IngestAsync(
        string name, int run, int pid, int port, string clipPath, int fps, double? seconds, Func<long> dumped, HttpClient? metrics, CancellationToken cancellationToken)
    {
        var jitBefore = metrics is null ? 0 : (await RuntimeReading.ReadAsync(metrics, cancellationToken)).JitMethods;
        var dumpedBefore = dumped();
        var before = ProcessSample.Read(pid);
        var activityBefore = ProcessActivity.Read(pid);
        var reportedBefore = FreePageReporting.Read();
        var result = await new AirPlaySenderSession(new SenderOptions
        {
            Host = "127.0.0.1",
            Port = port,
            Video = VideoSourceSpec.ForFile(clipPath, fps),
            Seconds = seconds,
            Fast = true,
            FairPlayFile = Path.Combine(options.Vectors, "fairplay.json"),
            Name = "Ingest Phone",
            StepTimeout = TimeSpan.FromSeconds(60),
        }).RunAsync(cancellationToken);
        await Task.Delay(Settle, cancellationToken);
        var after = ProcessSample.Read(pid);
        var activity = ProcessActivity.Read(pid).DescribeSince(activityBefore);
        var handedBack = FreePageReporting.ReportedMegabytesSince(reportedBefore);
        double? jit = metrics is null ? null : (await RuntimeReading.ReadAsync(metrics, cancellationToken)).JitMethods - jitBefore;
        return new IngestRun(name, run, after.CpuSecondsSince(before), result.DurationSeconds, result.FramesSent, result.BytesSent, dumped() - dumpedBefore, jit, result.Ok ? null : result.Error, activity, handedBack);
    }

    private long UxPlayDumpBytes() => options.UxPlayDump is { } path && File.Exists(path) ? new FileInfo(path).Length : 0;

    private static long DumpedBytes(string directory) =>
        Directory.Exists(directory) ? Directory.EnumerateFiles(directory).Sum(f => new FileInfo(f).Length) : 0;

    private static void ClearDump(string directory)
    {
        if (!Directory.Exists(directory))
        {
            return;
        }

        foreach (var file in Directory.EnumerateFiles(directory))
        {
            File.Delete(file);
        }
    }

    /// <summary>The runs as a table, then each receiver's median and the ratio of medians.</summary>
    public static string Report(IReadOnlyList<IngestRun> runs, LoadOptions options)
    {
        static double Median(IEnumerable<double> values)
        {
            var sorted = values.Order().ToArray();
            return sorted.Length == 0 ? double.NaN : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
        }

        var ours = runs.Where(r => r.Receiver == "this receiver" && r.Error is null).Select(r => r.CpuSeconds).ToList();
        var theirs = runs.Where(r => r.Receiver != "this receiver" && r.Error is null).Select(r => r.CpuSeconds).ToList();
        var clip = LoadClip.Named(options.Clip);
        return string.Join('\n',
        [
            string.Create(CultureInfo.InvariantCulture, $"Ingest, {clip.Describe()}, {options.ClipSeconds} s clip sent as fast as taken, {options.Runs} alternating runs each, both receivers running and dumping the video; {(options.PageState == PageState.Hot ? "--page-state hot (before each run, warm-up included: our dump deleted, then a scratch file of twice the clip's size + 10 %, in picture-sized and in 1 MiB writes, written in the work folder and deleted right after the kernel's next free page reporting pass)" : "--page-state as-is (our dump deleted after each of our runs, no scratch file)")}"),
            string.Empty,
            "| receiver | run | CPU-s | wall s | frames sent | MB sent | MB dumped | JIT methods | result | user / system CPU-s | minor faults | switches voluntary / involuntary | MB handed back to the host |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---|---|---:|---|---:|",
            .. runs.Select(r => r.TableRow()),
            string.Empty,
            "| receiver | CPU per stream (runs) | median |",
            "|---|---|---:|",
            string.Create(CultureInfo.InvariantCulture, $"| this receiver | {Range(ours)} | {Median(ours):F2} |"),
            string.Create(CultureInfo.InvariantCulture, $"| UxPlay 1.62 | {Range(theirs)} | {Median(theirs):F2} |"),
            string.Empty,
            string.Create(CultureInfo.InvariantCulture, $"ours / UxPlay (ratio of medians): **{Median(ours) / Median(theirs):F2}**; of the cheapest runs (the least disturbed by the machine's memory): {Cheapest(ours) / Cheapest(theirs):F2}"),
        ]);
    }

    private static double Cheapest(List<double> values) => values.Count == 0 ? double.NaN : values.Min();

    private static string Range(List<double> values) => values.Count == 0
        ? "none"
        : string.Create(CultureInfo.InvariantCulture, $"{values.Min():F2}–{values.Max():F2} CPU-s ({values.Count})");
}
