using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.Playwright;
using Receiver.ViewerBench;

namespace Receiver.WebRtcBench;

/// <summary>
/// The sound's onsets heard one way, against the sender's beeps and the pictures shown around them: sound latency p50,
/// beeps matched, A/V offset median and largest absolute offset (ms, positive = the sound is late).
/// </summary>
public sealed record SoundOffset(double LatencyP50, int Beeps, double? AvMedian, double? AvMaxAbs)
{
    public static readonly SoundOffset None = new(double.NaN, 0, null, null);
}

/// <summary>
/// The figures of one WebRTC run: the viewer page against the sender's capture times. The sound is timed where the
/// user hears it (<see cref="Heard"/>: the WebRTC audio renderer's chunk plus its device's playout delay); the Web
/// Audio tap (<see cref="WebAudio"/>) is kept beside it for comparison with the earlier tables.
/// </summary>
public sealed record LatencyResult(
    string Link, double ShownPercent, double P50, double P95, double P99, int Samples, int Unreadable,
    SoundOffset Heard, SoundOffset WebAudio, double BrowserPlayoutDifferenceMs, double JitterBufferMs, double AudioJitterBufferMs, double PcmAtReceiverMs, long VideoLost, long Nacks,
    long Freezes, double FreezeSeconds, double AudioLostPercent, double Seconds, SoundMethods Methods, string Error)
{
    public const string Header =
        "| link | frames shown | glass-to-glass p50 / p95 / p99 ms (n) | sound p50 ms (beeps) | A/V offset median (max abs) ms | A/V via Web Audio ms | browser: video − audio playout ms | jitter buffer video / audio ms | sound at the receiver ms | video packets lost / NACKs | freezes (s) | audio lost | measured s |\n" +
        "|---|---:|---|---|---|---:|---:|---|---:|---|---|---:|---:|";

    public string Row()
    {
        var error = string.IsNullOrEmpty(Error) ? string.Empty : $" ({Error.Replace('|', '/')})";
        return $"| {Link} | {F(ShownPercent, "0.0")} % | {F(P50)} / {F(P95)} / {F(P99)} ({Samples}) | {F(Heard.LatencyP50)} ({Heard.Beeps}) | " +
            $"{F(Heard.AvMedian)} ({F(Heard.AvMaxAbs)}) | {F(WebAudio.AvMedian)} | {F(BrowserPlayoutDifferenceMs)} | {F(JitterBufferMs)} / {F(AudioJitterBufferMs)} | {F(PcmAtReceiverMs)} | {VideoLost} / {Nacks} | {Freezes} ({F(FreezeSeconds, "0.0")}) | " +
            $"{F(AudioLostPercent, "0.0")} % | {F(Seconds)}{error} |";
    }

    internal static string F(double? v, string format = "0") => v is { } x && !double.IsNaN(x) ? x.ToString(format, CultureInfo.InvariantCulture) : "–";
}

/// <summary>
/// The A/V offset of one run by each way of timing the sound and the picture, side by side (ms, medians, positive =
/// the sound is late): the Web Audio tap; the track's chunks by their timestamp (when the renderer pulled them) and by
/// their arrival on the page; the chunk timestamp plus the renderer's playout delay (what the user hears); and the
/// parts: the playout delay (getStats media-playout), the Web Audio context's base and output latency, the Web Audio
/// onset minus the chunk onset of the same beep, the chunks' delivery from the pull to the page, and the picture's
/// expectedDisplayTime minus presentationTime.
/// </summary>
public sealed record SoundMethods(
    string Link, double? WebAudio, double? ChunkTimestamp, double? ChunkArrival, double? Heard, double PlayoutDelayMs, double BaseLatencyMs,
    double OutputLatencyMs, double WebAudioMinusChunkMs, double ChunkDeliveryMs, double DisplayMinusPresentationMs, double BrowserHalfMs)
{
    public const string Header =
        "| link | A/V: Web Audio tap | A/V: chunk timestamp | A/V: chunk arrival | A/V: chunk + playout delay (heard) | playout delay ms | Web Audio base / output latency ms | Web Audio − chunk onset ms | chunk delivery to page ms | picture expected display − presentation ms | browser: video − audio playout ms |\n" +
        "|---|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|";

    public static readonly SoundMethods None = new(string.Empty, null, null, null, null, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN);

    public string Row()
    {
        static string F(double? v) => LatencyResult.F(v);
        return $"| {Link} | {F(WebAudio)} | {F(ChunkTimestamp)} | {F(ChunkArrival)} | {F(Heard)} | {LatencyResult.F(PlayoutDelayMs, "0.0")} | " +
            $"{LatencyResult.F(BaseLatencyMs, "0.0")} / {LatencyResult.F(OutputLatencyMs, "0.0")} | {F(WebAudioMinusChunkMs)} | {LatencyResult.F(ChunkDeliveryMs, "0.0")} | {LatencyResult.F(DisplayMinusPresentationMs, "0.0")} | {F(BrowserHalfMs)} |";
    }
}

/// <summary>
/// One latency run: the sender mirrors the coded clip with beeps, the probe reads the sender's side from the receiver,
/// the viewer (Chromium on the other side of the link) joins mid-GOP in WebRTC mode, and after the first picture and a
/// settling time the page's pictures and beeps are matched to the sender's.
/// </summary>
public static class LatencyRun
{
    private const double Fps = 60;

    public static async Task<LatencyResult> RunAsync(Rig rig, IBrowser browser, string clip, BenchOptions options, ISet<string> seen, string name, CancellationToken cancellationToken)
    {
        await using var sender = rig.StartSender(clip, (int)Fps, (int)Math.Ceiling(options.Seconds + options.JoinAfter + options.Settle + 12), sound: true, name);
        var id = await rig.WaitForSessionAsync(seen, TimeSpan.FromSeconds(30), cancellationToken);
        using var probe = new MediaProbe(Rig.LocalUrl, id, Fps);
        await probe.ConnectAsync(cancellationToken);
        using var stopProbe = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var probing = probe.RunAsync(stopProbe.Token);
        await Task.Delay(TimeSpan.FromSeconds(options.JoinAfter), cancellationToken);

        await using var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 720 } });
        var page = new PageProbe(await context.NewPageAsync());
        await page.Page.GotoAsync(new Uri(rig.PageUrl, $"/view/{id}?mode=webrtc").ToString());
        await page.InstallVideoAsync();
        var firstDeadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while ((await page.ReadAsync()).Presented < 1)
        {
            if (DateTime.UtcNow > firstDeadline)
            {
                return Failed(options.Link, "no picture within 30 s");
            }

            await Task.Delay(100, cancellationToken);
        }

        var audioDeadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!await page.InstallAudioAsync())
        {
            if (DateTime.UtcNow > audioDeadline)
            {
                return Failed(options.Link, "no audio track");
            }

            await Task.Delay(100, cancellationToken);
        }

        await Task.Delay(TimeSpan.FromSeconds(options.Settle), cancellationToken);
        var before = await page.InboundAsync();
        var outputBefore = await page.AudioOutputAsync();
        var start = await page.ReadAsync();
        var frames = new List<double[]>();
        var beeps = new List<double>();
        var trackBeeps = new List<double[]>();
        var chunkLags = new List<double[]>();
        var playout = new List<double>();
        PageFigures last = start;
        var end = start.Now + (options.Seconds * 1000);
        while (last.Now < end && !sender.HasExited)
        {
            await Task.Delay(1000, cancellationToken);
            last = await page.ReadAsync();
            frames.AddRange(last.Frames);
            beeps.AddRange(last.Beeps);
            trackBeeps.AddRange(last.TrackBeeps);
            chunkLags.AddRange(last.ChunkLags);
            if (await page.PlayoutDifferenceAsync() is { } difference)
            {
                playout.Add(difference);
            }
        }

        var after = await page.InboundAsync();
        var outputAfter = await page.AudioOutputAsync();
        await stopProbe.CancelAsync();
        await probing;

        var seconds = (last.Now - start.Now) / 1000;
        var latencies = frames.Where(f => probe.CaptureUnixMs.ContainsKey((long)f[0]))
            .Select(f => (Time: f[1], Latency: f[1] - probe.CaptureUnixMs[(long)f[0]])).ToArray();
        var sent = probe.BeepUnixMs.Order().ToArray();
        var playoutSamples = outputAfter.PlayoutSamples - outputBefore.PlayoutSamples;
        var playoutDelayMs = playoutSamples > 0 ? 1000 * (outputAfter.PlayoutDelay - outputBefore.PlayoutDelay) / playoutSamples : double.NaN;

        // A chunk's timestamp is the renderer's pull. Chromium 156 gives it on the page's performance clock (the chunks
        // reach the page a fraction of a millisecond after it); a browser that gave it on the monotonic clock
        // (TimeTicks, CLOCK_MONOTONIC as .NET's Stopwatch here) is put on the Unix clock by this machine's offset.
        var onPageClock = chunkLags.Count > 0 && Math.Abs(CaseResult.Percentile(chunkLags.Select(c => c[1] - c[2]).ToArray(), 50)) < 1000;
        var origin = chunkLags.Count > 0 ? chunkLags[0][0] : double.NaN;
        var toUnix = onPageClock ? origin : MonotonicToUnixMs();
        var byTimestamp = trackBeeps.Select(t => t[1] + toUnix).ToArray();
        var deliveries = chunkLags.Select(c => c[0] + c[1] - (c[2] + toUnix)).ToArray();
        var webAudio = Offsets(beeps, sent, latencies);
        var heard = double.IsNaN(playoutDelayMs) ? SoundOffset.None : Offsets(byTimestamp.Select(t => t + playoutDelayMs), sent, latencies);
        var paired = beeps.Select(w => (WebAudio: w, Chunk: Nearest(byTimestamp, w))).Where(p => Math.Abs(p.WebAudio - p.Chunk) < 300)
            .Select(p => p.WebAudio - p.Chunk).ToArray();
        var browserHalf = playout.Count > 0 ? CaseResult.Percentile([.. playout], 50) : double.NaN;
        var methods = new SoundMethods(
            options.Link, webAudio.AvMedian, Offsets(byTimestamp, sent, latencies).AvMedian, Offsets(trackBeeps.Select(t => t[0]), sent, latencies).AvMedian,
            heard.AvMedian, playoutDelayMs, 1000 * outputAfter.BaseLatency, 1000 * outputAfter.OutputLatency,
            paired.Length > 0 ? CaseResult.Percentile(paired, 50) : double.NaN,
            deliveries.Length > 0 ? CaseResult.Percentile(deliveries, 50) : double.NaN,
            frames.Count > 0 ? CaseResult.Percentile(frames.Select(f => f[1] - f[2]).ToArray(), 50) : double.NaN,
            browserHalf);
        var video = Delta(before, after, "video");
        var audio = Delta(before, after, "audio");
        var emitted = video("jitterBufferEmittedCount");
        var error = probe.FirstWasKeyframe ? string.Empty : "the probe joined after the first keyframe: frame numbers unknown";
        return new LatencyResult(
            options.Link,
            Math.Min(100, 100 * (last.Presented - start.Presented) / (Fps * seconds)),
            CaseResult.Percentile(latencies.Select(l => l.Latency).ToArray(), 50),
            CaseResult.Percentile(latencies.Select(l => l.Latency).ToArray(), 95),
            CaseResult.Percentile(latencies.Select(l => l.Latency).ToArray(), 99),
            latencies.Length, last.Unreadable - start.Unreadable,
            heard, webAudio, browserHalf,
            emitted > 0 ? 1000 * video("jitterBufferDelay") / emitted : double.NaN,
            audio("jitterBufferEmittedCount") > 0 ? 1000 * audio("jitterBufferDelay") / audio("jitterBufferEmittedCount") : double.NaN,
            CaseResult.Percentile([.. probe.PcmAtReceiverMs], 50),
            (long)video("packetsLost"), (long)video("nackCount"), (long)video("freezeCount"), video("totalFreezesDuration"),
            audio("packetsReceived") + audio("packetsLost") > 0 ? 100 * audio("packetsLost") / (audio("packetsReceived") + audio("packetsLost")) : double.NaN,
            seconds, methods, error);
    }

    /// <summary>Each onset against the latest sender beep before it, and against the pictures shown within 500 ms of it.</summary>
    private static SoundOffset Offsets(IEnumerable<double> onsets, double[] sent, (double Time, double Latency)[] pictures)
    {
        var heard = onsets.Select(b => (Time: b, Latency: b - LatestBefore(sent, b)))
            .Where(b => b.Latency is > 0 and < 800).ToArray();
        var offsets = heard.Select(b =>
        {
            var near = pictures.Where(l => Math.Abs(l.Time - b.Time) <= 500).Select(l => l.Latency).ToArray();
            return near.Length == 0 ? double.NaN : b.Latency - CaseResult.Percentile(near, 50);
        }).Where(o => !double.IsNaN(o)).ToArray();
        return new SoundOffset(
            heard.Length > 0 ? CaseResult.Percentile(heard.Select(h => h.Latency).ToArray(), 50) : double.NaN, heard.Length,
            offsets.Length > 0 ? CaseResult.Percentile(offsets, 50) : null, offsets.Length > 0 ? offsets.Max(Math.Abs) : null);
    }

    /// <summary>Unix ms minus monotonic ms now (Stopwatch is CLOCK_MONOTONIC on Linux).</summary>
    private static double MonotonicToUnixMs()
    {
        var best = double.MaxValue;
        var offset = 0.0;
        for (var i = 0; i < 5; i++)
        {
            var before = Stopwatch.GetTimestamp();
            var unix = (DateTime.UtcNow - DateTime.UnixEpoch).TotalMilliseconds;
            var after = Stopwatch.GetTimestamp();
            if (after - before < best)
            {
                best = after - before;
                offset = unix - ((before + after) / 2.0 * 1000 / Stopwatch.Frequency);
            }
        }

        return offset;
    }

    private static double Nearest(double[] values, double time) =>
        values.Length == 0 ? double.NaN : values.MinBy(v => Math.Abs(v - time));

    private static double LatestBefore(double[] sorted, double time)
    {
        var index = Array.BinarySearch(sorted, time);
        index = index >= 0 ? index : ~index - 1;
        return index >= 0 ? sorted[index] : double.NaN;
    }

    private static Func<string, double> Delta(JsonElement before, JsonElement after, string kind) => field =>
    {
        static double Read(JsonElement e, string kind, string field) =>
            e.TryGetProperty(kind, out var k) && k.TryGetProperty(field, out var v) ? v.GetDouble() : 0;
        return Read(after, kind, field) - Read(before, kind, field);
    };

    private static LatencyResult Failed(string link, string error) =>
        new(link, 0, double.NaN, double.NaN, double.NaN, 0, 0, SoundOffset.None, SoundOffset.None, double.NaN, double.NaN, double.NaN, double.NaN, 0, 0, 0, 0, double.NaN, 0, SoundMethods.None with { Link = link }, error);
}
