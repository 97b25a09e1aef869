using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Receiver.Sender.Sessions;

namespace Receiver.FaultBench;

/// <summary>
/// Scenario 1: senders (the simulator, in process, phone-like clocks, a quarter with sound) each stopped at a random
/// step — before SETUP, mid-SETUP, mid-stream, mid-audio — by a reset or by going silent, several at once. Silent
/// senders are reclaimed by the receiver's control idle timeout, shortened for the run
/// (<c>Receiver:Limits:IdleTimeoutSeconds</c>); <c>Sessions:Max</c> and the connection caps of the control and the
/// mirror port are raised because every simulated sender comes from 127.0.0.1.
/// </summary>
public sealed class SenderKillScenario(FaultOptions options, string work, string cache)
{
    public async Task<ScenarioResult> RunAsync(CancellationToken cancellationToken)
    {
        var clip = await BenchClip.EnsureAsync(cache, 320, 240, 300, 10, cancellationToken);
        var concurrency = options.SenderConcurrency;
        string[] receiverOptions =
        [
            $"--Receiver:Limits:IdleTimeoutSeconds={options.SilentTimeoutSeconds}",
            $"--Receiver:Sessions:Max={concurrency * 2}",
            $"--Receiver:Limits:MaxControlConnections={concurrency * 4}",
            $"--Receiver:Limits:MaxControlConnectionsPerAddress={concurrency * 4}",
            $"--Receiver:Limits:MaxMirrorConnections={concurrency * 4}",
            $"--Receiver:Limits:MaxMirrorConnectionsPerAddress={concurrency * 4}",
        ];
        using var gate = new SemaphoreSlim(1, 1);
        var warmUpRandom = new Random(options.Seed + 1);
        List<(SenderAbort, bool)> warmUpPlans = [.. Enumerable.Range(0, Math.Min(options.Senders, concurrency * 2)).Select(_ => Plan(warmUpRandom))];
        var (receiver, baseline) = await Cycle.StartAsync(options, work, "senders", clip, receiverOptions,
            r => RunSendersAsync(r, clip, gate, warmUpPlans, null, cancellationToken), cancellationToken);
        await using (receiver)
        {
            var random = new Random(options.Seed);
            var plans = Enumerable.Range(0, options.Senders).Select(_ => Plan(random)).ToList();
            var watch = Stopwatch.StartNew();
            var peakSessions = 0;
            var peakFfmpeg = 0;
            using var sampling = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var sampler = Task.Run(async () =>
            {
                while (!sampling.IsCancellationRequested)
                {
                    try
                    {
                        peakFfmpeg = Math.Max(peakFfmpeg, ReceiverFootprint.ReadChildren(receiver.Pid).Ffmpeg);
                        peakSessions = Math.Max(peakSessions, await ReceiverFootprint.ReadSessionsAsync(receiver, sampling.Token));
                        await Task.Delay(500, sampling.Token);
                    }
                    catch (Exception e) when (e is OperationCanceledException or HttpRequestException)
                    {
                    }
                }
            }, CancellationToken.None);
            var results = await RunSendersAsync(receiver, clip, gate, plans, watch, cancellationToken);
            var elapsed = watch.Elapsed;
            await sampling.CancelAsync();
            await sampler;

            var after = await Leftovers.SettleAsync(receiver, baseline, options, cancellationToken);
            var all = results;
            var aborted = all.Count(r => r.Result.AbortedAt is not null);
            var failed = all.Where(r => !r.Result.Ok).ToList();
            var silent = all.Where(r => r.Plan.Mode == SenderAbortMode.Silent && r.Result.AbortedAt is not null).ToList();
            var reclaimed = silent.Where(r => r.Result.SilentReclaimSeconds is not null).Select(r => r.Result.SilentReclaimSeconds!.Value).Order().ToList();
            var severe = receiver.SevereLogLines();
            List<TargetCheck> checks =
            [
                new("receiver alive", !receiver.HasExited, receiver.HasExited ? $"exited with {receiver.ExitCode}" : "running"),
                new("every sender stopped as planned", aborted == all.Count && failed.Count == 0,
                    $"{aborted} of {all.Count} stopped at their step, {failed.Count} failed otherwise"),
                new("every silent sender reclaimed", reclaimed.Count == silent.Count, $"{reclaimed.Count} of {silent.Count} closed by the receiver"),
                .. Leftovers.Check(baseline, after, options),
            ];
            List<string> notes =
            [
                string.Create(CultureInfo.InvariantCulture, $"{all.Count} senders in {elapsed.TotalSeconds:F0} s, {concurrency} at once; {all.Count(r => r.Result.AudioPacketsSent > 0 || r.Plan.Step == SenderAbortStep.MidAudio)} with sound; peak {peakSessions} sessions, {peakFfmpeg} ffmpeg"),
                .. all.GroupBy(r => r.Plan.ToString()).OrderBy(g => g.Key, StringComparer.Ordinal)
                    .Select(g => string.Create(CultureInfo.InvariantCulture, $"{g.Key}: {g.Count()} ({g.Count(r => r.Result.AbortedAt is not null)} stopped as planned){Reclaim(g)}")),
                reclaimed.Count == 0 ? "no silent sender reclaimed" : string.Create(CultureInfo.InvariantCulture,
                    $"silent senders closed by the receiver after {reclaimed[reclaimed.Count / 2]:F1} s (median), {reclaimed[^1]:F1} s (max); idle timeout {options.SilentTimeoutSeconds} s"),
                .. failed.GroupBy(r => r.Result.Error ?? "?").OrderByDescending(g => g.Count()).Take(5).Select(g => $"{g.Count()} failed: {g.Key}"),
                $"descriptors beyond the baseline: {Leftovers.DescriptorGrowth(receiver)}",
                $"{severe.Count} error lines in the receiver's log" + (severe.Count > 0 ? ": " + severe[0] : string.Empty),
            ];
            var done = string.Create(CultureInfo.InvariantCulture, $"{all.Count} senders killed at a random step (reset or silent; idle timeout {options.SilentTimeoutSeconds} s), {concurrency} at once");
            return new ScenarioResult("1. senders killed", done, baseline, after, checks, notes);
        }
    }

    /// <summary>Runs the planned senders, <see cref="FaultOptions.SenderConcurrency"/> at once; <paramref name="progress"/> (when given) times the progress lines.</summary>
    private async Task<List<(SenderAbort Plan, SenderResult Result)>> RunSendersAsync(
        ReceiverProcess receiver, string clip, SemaphoreSlim gate, IReadOnlyList<(SenderAbort Abort, bool Audio)> plans, Stopwatch? progress, CancellationToken cancellationToken)
    {
        var results = new ConcurrentBag<(SenderAbort Plan, SenderResult Result)>();
        var next = -1;
        var workers = Enumerable.Range(0, options.SenderConcurrency).Select(_ => Task.Run(async () =>
        {
            int index;
            while ((index = Interlocked.Increment(ref next)) < plans.Count && !receiver.HasExited)
            {
                var (abort, audio) = plans[index];
                var sender = Cycle.SenderOptions(options, receiver, clip, seconds: 10, audio) with { Abort = abort };
                results.Add((abort, await new AirPlaySenderSession(sender, streamSetupGate: gate).RunAsync(cancellationToken)));
                if (progress is not null && index % 100 == 99)
                {
                    await Console.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"senders: {index + 1}/{plans.Count} after {progress.Elapsed.TotalSeconds:F0} s"));
                }
            }
        }, cancellationToken)).ToList();
        await Task.WhenAll(workers);
        return [.. results];
    }

    private static string Reclaim(IEnumerable<(SenderAbort Plan, SenderResult Result)> group)
    {
        var seconds = group.Select(r => r.Result.SilentReclaimSeconds).OfType<double>().Order().ToList();
        return seconds.Count == 0 ? string.Empty : string.Create(CultureInfo.InvariantCulture, $"; closed by the receiver after {seconds[seconds.Count / 2]:F1} s (median), {seconds[^1]:F1} s (max)");
    }

    private static (SenderAbort Abort, bool Audio) Plan(Random random)
    {
        var step = (SenderAbortStep)random.Next(4);
        var mode = random.Next(2) == 0 ? SenderAbortMode.Reset : SenderAbortMode.Silent;
        var audio = step == SenderAbortStep.MidAudio || random.Next(4) == 0;
        var abort = new SenderAbort(step, mode)
        {
            AfterFrames = random.Next(5, 61),
            AfterAudioPackets = random.Next(5, 101),
            SilentHold = TimeSpan.FromSeconds(60),
        };
        return (abort, audio);
    }
}
