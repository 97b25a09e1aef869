using System.Globalization;
using System.Text.Json;
using Receiver.Core.Sessions;
using Receiver.Sender.Sessions;
using Receiver.Sender.Video;
using Receiver.Web.Tests.Browser;
using Receiver.Web.Tests.Infrastructure;
using Receiver.Web.Tests.Sender;
using Xunit.Abstractions;

namespace Receiver.Web.Tests.Audio;

/// <summary>
/// The WebCodecs viewer with sound from a phone-like sender (its clock counts from its boot): the sound arrives as
/// PCM and is played without a decoder, and a viewer that joins mid-GOP is at steady latency within a second of its
/// first picture.
/// </summary>
[Collection(ChromiumCollection.Name)]
public sealed class PcmAudioBrowserTests(ChromiumFixture chromium, ITestOutputHelper output)
{
    /// <summary>Records when each latency sample was taken (performance.now), for the time to steady latency.</summary>
    private const string LatencyClock =
        """
        (() => {
          let stats;
          window.__latencyTimes = [];
          Object.defineProperty(window, '__viewerStats', {
            configurable: true,
            get() { return stats; },
            set(value) {
              stats = value;
              const push = value.latencies.push.bind(value.latencies);
              value.latencies.push = (...items) => {
                for (const item of items) window.__latencyTimes.push([performance.now(), item]);
                return push(...items);
              };
            },
          });
        })();
        """;

    /// <summary>Every 100 ms: the player's counters and its playout clock's offset, printed with the late-joiner's figures.</summary>
    private const string Sampler =
        """
        (() => {
          window.__samples = [];
          setInterval(() => {
            const s = window.__viewerStats; const p = window.__viewer && window.__viewer.player;
            if (!s || !p) return;
            window.__samples.push([performance.now(), s.framesReceived, s.framesDecoded, s.framesPresented, s.droppedFrames,
              s.catchUpSkipped, p.clock ? (p.clock.offsetMs ?? NaN) : NaN, s.audioFrames, s.audioDataWritten, s.audioSkipped,
              p.decoder ? p.decoder.decodeQueueSize : -1]);
          }, 100);
        })();
        """;

    private const string AudioState =
        """
        () => {
          const s = window.__viewerStats || {};
          const p = window.__viewer && window.__viewer.player;
          const v = document.querySelector('video');
          const tracks = v.srcObject ? v.srcObject.getAudioTracks() : [];
          return JSON.stringify({
            audioTracks: tracks.length, live: tracks.length ? tracks[0].readyState : '',
            audioCodec: s.audioCodec || '', audioFrames: s.audioFrames || 0, written: s.audioDataWritten || 0,
            decoder: p && p.audioDecoder ? p.audioDecoder.state : 'none', pcm: !!(p && p.pcm),
            playoutDelay: typeof s.playoutDelayMs === 'number' ? s.playoutDelayMs : null,
            av: typeof s.avOffsetMs === 'number' ? s.avOffsetMs : null,
            backlog: s.backlogDecoded || 0, dropped: s.droppedFrames || 0, presented: s.framesPresented || 0, firstFrameMs: s.firstFrameMs ?? -1, nowMs: performance.now(),
            error: s.lastError || '' });
        }
        """;

    [ChromiumFact]
    public async Task Viewer_WebCodecsWithBootClockSender_PlaysPcmWithoutADecoder()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await using var host = await ReceiverHost.StartAsync();
        var options = SenderTestMedia.LiveAudioOptions(host.ControlPort, 10) with { Clock = "boot" };
        var (sending, session, page) = await WatchAsync(host, options, "mode=webcodecs", null, cts.Token);
        var first = await StateAsync(page);
        var delays = new List<double>();
        for (var i = 0; i < 12; i++)
        {
            await Task.Delay(250, cts.Token);
            if ((await StateAsync(page)).GetProperty("playoutDelay") is { ValueKind: JsonValueKind.Number } delay)
            {
                delays.Add(delay.GetDouble());
            }
        }

        var later = await StateAsync(page);
        output.WriteLine($"first {first}");
        output.WriteLine($"later {later}; sender clock {session.Clock.Source}; playout delays {string.Join(", ", delays.Select(d => d.ToString("F1", CultureInfo.InvariantCulture)))} ms");

        Assert.Equal(string.Empty, later.GetProperty("error").GetString());
        Assert.Equal("pcm-s16", later.GetProperty("audioCodec").GetString());
        Assert.Equal(1, later.GetProperty("audioTracks").GetInt32());
        Assert.Equal("live", later.GetProperty("live").GetString());
        Assert.True(later.GetProperty("pcm").GetBoolean(), "the player takes PCM");
        Assert.Equal("none", later.GetProperty("decoder").GetString());

        // 3 s of sound in 480-sample frames is ≈ 275 frames; every one that arrived is written as AudioData.
        var written = later.GetProperty("written").GetInt32() - first.GetProperty("written").GetInt32();
        Assert.True(written > 150, $"{written} AudioData written in 3 s");

        // The playout delay is a duration: how long the clock held a picture, never below zero.
        Assert.NotEmpty(delays);
        Assert.All(delays, d => Assert.InRange(d, 0, 1000));
        Assert.True((await sending).Ok);
    }

    [ChromiumFact]
    public async Task Viewer_WebCodecsJoiningMidGop_SteadyLatencyWithinOneSecondOfItsFirstPicture()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        using var temp = new SenderTempDirectory("pcm-late-join");
        var clip = await H264Clip.GetAsync(640, 360, 60, 24, 120);
        var file = Path.Combine(temp.Path, "clip.h264");
        await File.WriteAllBytesAsync(file, clip.AnnexBBytes, cts.Token);
        await using var host = await ReceiverHost.StartAsync();
        var options = SenderTestMedia.LiveAudioOptions(host.ControlPort, 22) with { Video = VideoSourceSpec.ForFile(file, 60), Clock = "boot" };
        await using var stalls = new StallWatch();

        // Join half-way through a 2 s GOP, so that the viewer first receives about a second of older pictures.
        var (sending, _, page) = await WatchAsync(host, options, "mode=webcodecs", s => s.Media.FramesPublished >= 180 && s.Media.FramesPublished % 120 is >= 5 and < 25, cts.Token);
        await Task.Delay(TimeSpan.FromSeconds(6), cts.Token);
        var state = await StateAsync(page);
        var watchAtState = stalls.ElapsedMs;
        var times = await page.Page.EvaluateAsync<double[][]>("() => window.__latencyTimes");
        var samples = await page.Page.EvaluateAsync<double[][]>("() => window.__samples");
        await page.ScreenshotAsync("pcm-late-join");
        output.WriteLine(state.ToString());

        var firstPicture = state.GetProperty("firstFrameMs").GetDouble();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"the first picture came {watchAtState - (state.GetProperty("nowMs").GetDouble() - firstPicture):F0} ms after the stall watch started; {stalls.Report()}"));
        output.WriteLine("ms from first picture: received decoded presented dropped catch-up-skipped clock-offset audio written audio-skipped decode-queue");
        foreach (var sample in samples)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{sample[0] - firstPicture,7:F0}: {string.Join(' ', sample.Skip(1).Select(v => v.ToString("F0", CultureInfo.InvariantCulture)))}"));
        }

        double[] Between(double from, double to) =>
            [.. times.Where(t => t[0] - firstPicture >= from && t[0] - firstPicture < to).Select(t => t[1]).Order()];
        var firstSecond = Between(0, 1000);
        var secondSecond = Between(1000, 2000);
        var settled = Between(3000, 6000);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"latency after the first picture: 0–1 s p50 {P(firstSecond, 50):F1} p95 {P(firstSecond, 95):F1} ms ({firstSecond.Length}); " +
            $"1–2 s p50 {P(secondSecond, 50):F1} p95 {P(secondSecond, 95):F1} ms ({secondSecond.Length}); " +
            $"3–6 s p50 {P(settled, 50):F1} p95 {P(settled, 95):F1} ms ({settled.Length}); backlog pictures decoded, not shown: {state.GetProperty("backlog").GetInt32()}"));

        Assert.Equal(string.Empty, state.GetProperty("error").GetString());
        Assert.True(state.GetProperty("backlog").GetInt32() >= 10, "the viewer joined mid-GOP and decoded the backlog without showing it");
        // The backlog arrives in one burst: the live pictures behind it are decoded, not dropped until the next keyframe.
        Assert.Equal(0, state.GetProperty("dropped").GetInt32());
        Assert.True(state.GetProperty("pcm").GetBoolean(), "with sound, from PCM");
        Assert.True(state.GetProperty("written").GetInt32() > 200, "the sound plays");
        Assert.True(secondSecond.Length >= 30 && settled.Length >= 90, "pictures keep coming");

        // Steady from the second second on: its typical latency is the settled one (a playout clock that took the
        // backlog's lateness for its offset would hold every picture back by up to a GOP for seconds).
        Assert.InRange(P(secondSecond, 50) - P(settled, 50), -40, 40);
        Assert.True(P(secondSecond, 50) < 250, $"p50 {P(secondSecond, 50)} ms in the second second");
        Assert.True((await sending).Ok);
    }

    [ChromiumTheory]
    [InlineData("pcm")]
    [InlineData("aac")]
    public async Task Viewer_WebCodecsWithSound_LatencyFigures(string audio)
    {
        // A measurement for the record (the checks only say that it played with sound): 640x360@60 from a
        // pre-encoded clip, phone-like clock, the sound as PCM (the default) or as AAC-LC decoded in the page.
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        using var temp = new SenderTempDirectory("pcm-latency");
        var clip = await H264Clip.GetAsync(640, 360, 60, 24, 120);
        var file = Path.Combine(temp.Path, "clip.h264");
        await File.WriteAllBytesAsync(file, clip.AnnexBBytes, cts.Token);
        await using var host = await ReceiverHost.StartAsync();
        var options = SenderTestMedia.LiveAudioOptions(host.ControlPort, 22) with { Video = VideoSourceSpec.ForFile(file, 60), Clock = "boot" };
        var (sending, _, page) = await WatchAsync(host, options, $"mode=webcodecs&audio={audio}", null, cts.Token);
        await Task.Delay(TimeSpan.FromSeconds(2), cts.Token);
        var before = await page.SnapshotAsync();
        var beforeState = await StateAsync(page);
        var avSamples = new List<double>();
        for (var i = 0; i < 24; i++)
        {
            await Task.Delay(250, cts.Token);
            if ((await StateAsync(page)).GetProperty("av") is { ValueKind: JsonValueKind.Number } av)
            {
                avSamples.Add(av.GetDouble());
            }
        }

        var after = await StateAsync(page);
        var glass = (await page.LatenciesAsync("latencies", before.LatencyCount)).Order().ToArray();
        var presented = after.GetProperty("presented").GetInt32() - beforeState.GetProperty("presented").GetInt32();
        var line = string.Create(CultureInfo.InvariantCulture,
            $"{DateTime.UtcNow:u} 640x360@60 webcodecs sound={audio}: latency p50 {P(glass, 50):F1} p95 {P(glass, 95):F1} p99 {P(glass, 99):F1} ms; " +
            $"presented {presented} in 6 s ({presented / 6.0:F1}/s); A/V offset median {P([.. avSamples.Order()], 50):F1} ms; playout delay {after.GetProperty("playoutDelay")} ms");
        output.WriteLine(line);
        await File.AppendAllTextAsync(Path.Combine(ChromiumFixture.ScreenshotDirectory, "..", "viewer-latency.txt"), line + Environment.NewLine, cts.Token);

        Assert.Equal(string.Empty, after.GetProperty("error").GetString());
        Assert.Equal(audio == "pcm" ? "pcm-s16" : "mp4a.40.2", after.GetProperty("audioCodec").GetString());
        Assert.True(after.GetProperty("written").GetInt32() > beforeState.GetProperty("written").GetInt32() + 100, "the sound plays");
        Assert.True(glass.Length > 60, "latency samples");
        await sending;
    }

    private static double P(double[] sorted, double percentile) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(percentile / 100 * sorted.Length) - 1, 0, sorted.Length - 1)];

    private static async Task<JsonElement> StateAsync(ViewerPage page) =>
        JsonDocument.Parse(await page.Page.EvaluateAsync<string>(AudioState)).RootElement.Clone();

    /// <summary>Starts a session, waits for <paramref name="joinWhen"/> (if any), then opens its viewer page once it presents frames.</summary>
    private async Task<(Task<SenderResult> Sending, MirroringSession Session, ViewerPage Page)> WatchAsync(
        ReceiverHost host, SenderOptions options, string query, Func<MirroringSession, bool>? joinWhen, CancellationToken cancellationToken)
    {
        if (chromium.MissingReason is { } reason)
        {
            throw new InvalidOperationException(reason);
        }

        var sending = new AirPlaySenderSession(options).RunAsync(cancellationToken);
        while (host.Sessions.Count == 0 && !sending.IsCompleted)
        {
            await Task.Delay(10, cancellationToken);
        }

        var session = host.Sessions.Sessions.First();
        while (joinWhen is not null && !joinWhen(session) && !sending.IsCompleted)
        {
            await Task.Delay(2, cancellationToken);
        }

        var page = new ViewerPage(await chromium.NewPageAsync());
        await page.Page.AddInitScriptAsync(LatencyClock);
        await page.Page.AddInitScriptAsync(Sampler);
        await page.Page.GotoAsync(new Uri(host.WebUrl, $"/view/{session.Id}?{query}").ToString());
        await page.WaitAsync(s => s.FramesPresented > 10, TimeSpan.FromSeconds(20), "pcm-frames");
        return (sending, session, page);
    }
}
