using System.Text.Json;
using Receiver.Sender.Sessions;
using Receiver.Core.Sessions;
using Receiver.Web.Tests.Browser;
using Receiver.Web.Tests.Infrastructure;
using Receiver.Web.Tests.Sender;
using Xunit.Abstractions;

namespace Receiver.Web.Tests.Audio;

/// <summary>The viewer page in headless Chromium plays a mirroring session's audio track with its video.</summary>
[Collection(ChromiumCollection.Name)]
public sealed class AudioBrowserTests(ChromiumFixture chromium, ITestOutputHelper output)
{
    [ChromiumFact]
    public async Task Viewer_SessionWithAudio_DecodesAudioAndAdvancesWithVolume()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await using var host = await ReceiverHost.StartAsync();
        var (sending, session, page) = await WatchLiveAudioSessionAsync(host, 10, "mse", "audio-session-frames", cts.Token);
        var first = await AudioStateAsync(page);
        session.Media.PublishVolume(-20);
        await Task.Delay(TimeSpan.FromSeconds(2), cts.Token);
        var later = await AudioStateAsync(page);
        for (var i = 0; i < 40 && (later.GetProperty("currentTime").GetDouble() <= first.GetProperty("currentTime").GetDouble() + 1.5
            || later.GetProperty("audioFrames").GetInt32() <= first.GetProperty("audioFrames").GetInt32() + 50); i++)
        {
            // A busy machine may play a little slower than real time; give it a few more seconds.
            await Task.Delay(TimeSpan.FromMilliseconds(200), cts.Token);
            later = await AudioStateAsync(page);
        }

        await page.ScreenshotAsync("audio-session");
        output.WriteLine($"first {first}");
        output.WriteLine($"later {later}");

        Assert.Equal("mp4a.40.2", later.GetProperty("audioCodec").GetString());
        Assert.True(later.GetProperty("audioFrames").GetInt32() > first.GetProperty("audioFrames").GetInt32() + 50);
        Assert.True(later.GetProperty("decodedAudioBytes").GetInt64() > first.GetProperty("decodedAudioBytes").GetInt64(), "audio is decoded");
        Assert.True(later.GetProperty("currentTime").GetDouble() > first.GetProperty("currentTime").GetDouble() + 1.5, "playback advances");
        Assert.InRange(later.GetProperty("volume").GetDouble(), 0.09, 0.11);
        Assert.Equal(string.Empty, later.GetProperty("lastError").GetString());

        // Both SourceBuffers hold the same stretch of one timeline. Their ends differ by what is in flight: the
        // transcoder's delay on the audio side, the live encoder's on the video side (not an A/V offset: that is
        // fixed by the timestamps, see AudioEndToEndTests). On a busy machine the simulator's live x264 encoder falls
        // behind the audio it reads from a file by up to a second or two; a timeline error would be far larger.
        var skewMs = (later.GetProperty("audioEnd").GetDouble() - later.GetProperty("videoEnd").GetDouble()) * 1000;
        output.WriteLine($"buffered ends: audio − video = {skewMs:F0} ms");
        Assert.InRange(skewMs, -3000, 3000);
        await sending;
    }

    [ChromiumFact]
    public async Task Viewer_WebCodecsSessionWithAudio_AddsDecodedAudioTrack()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await using var host = await ReceiverHost.StartAsync();
        // AAC-LC decoded by an AudioDecoder: what a WebCodecs viewer gets when it asks for it (PCM otherwise, see
        // PcmAudioBrowserTests).
        var (sending, _, page) = await WatchLiveAudioSessionAsync(host, 6, "webcodecs&audio=aac", "webcodecs-audio-frames", cts.Token);
        await page.Page.WaitForFunctionAsync("() => ((window.__viewerStats || {}).audioFrames || 0) > 40", null, new() { Timeout = 20_000 });
        var json = await page.Page.EvaluateAsync<string>(
            """
            () => {
              const s = window.__viewerStats || {};
              const v = document.querySelector('video');
              const tracks = v.srcObject ? v.srcObject.getAudioTracks() : [];
              return JSON.stringify({ audioTracks: tracks.length, live: tracks.length ? tracks[0].readyState : '',
                audioFrames: s.audioFrames || 0, lastError: s.lastError || '',
                decoderState: window.__viewer.player.audioDecoder ? window.__viewer.player.audioDecoder.state : '' });
            }
            """);
        output.WriteLine(json);
        var state = JsonDocument.Parse(json).RootElement;
        Assert.Equal(1, state.GetProperty("audioTracks").GetInt32());
        Assert.Equal("live", state.GetProperty("live").GetString());
        Assert.Equal("configured", state.GetProperty("decoderState").GetString());
        Assert.True(state.GetProperty("audioFrames").GetInt32() > 40);
        Assert.Equal(string.Empty, state.GetProperty("lastError").GetString());
        await sending;
    }

    [ChromiumFact]
    public async Task Viewer_MseWithAudioFromBootClockSender_FullFrameRateAndLatencyFigures()
    {
        // An iPhone's clock counts from its boot: days away from the receiver's wall clock, and written with the
        // 1900→1970 offset in its sync packets but without it in its mirror headers.
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        using var temp = new SenderTempDirectory("boot-mse");
        var (_, clip) = await H264Clip.WriteFilesAsync(temp.Path, 320, 240, 16);
        await using var host = await ReceiverHost.StartAsync();
        var options = SenderTestMedia.LiveAudioOptions(host.ControlPort, 15) with { Video = Receiver.Sender.Video.VideoSourceSpec.ForFile(clip, 30), Clock = "boot" };
        var (sending, session, page) = await WatchAsync(host, options, "mse", "boot-clock-mse-frames", cts.Token);
        await Task.Delay(TimeSpan.FromSeconds(2), cts.Token);
        const string state = "() => { const s = window.__viewerStats || {}; const v = document.querySelector('video'); const q = v.getVideoPlaybackQuality(); return JSON.stringify({ presented: s.framesPresented || 0, decoded: q.totalVideoFrames - q.droppedVideoFrames, audioFrames: s.audioFrames || 0, currentTime: v.currentTime, p50: s.latencyPercentile ? s.latencyPercentile(50) : null, p95: s.latencyPercentile ? s.latencyPercentile(95) : null, error: s.lastError || '' }); }";
        var first = JsonDocument.Parse(await page.Page.EvaluateAsync<string>(state)).RootElement.Clone();
        var watch = System.Diagnostics.Stopwatch.StartNew();
        await Task.Delay(TimeSpan.FromSeconds(6), cts.Token);
        var later = JsonDocument.Parse(await page.Page.EvaluateAsync<string>(state)).RootElement.Clone();
        var seconds = watch.Elapsed.TotalSeconds;
        await page.ScreenshotAsync("boot-clock-mse");
        output.WriteLine($"first {first}");
        output.WriteLine($"later {later}");
        // Frames shown per second of media played: every picture of the stretch that played reached the screen. A
        // pause of the whole page on a busy machine (the player catches up afterwards) is not a dropped frame.
        var played = later.GetProperty("currentTime").GetDouble() - first.GetProperty("currentTime").GetDouble();
        var fps = (later.GetProperty("presented").GetInt32() - first.GetProperty("presented").GetInt32()) / Math.Max(played, 0.001);
        var decodedFps = (later.GetProperty("decoded").GetInt32() - first.GetProperty("decoded").GetInt32()) / Math.Max(played, 0.001);
        output.WriteLine($"decoded and not dropped {decodedFps:F1}, presented {fps:F1} frames per second of media, played {played:F2} s of media in {seconds:F2} s, sender clock {session.Clock.Source}, mirror→NTP {session.Clock.MirrorToNtpSeconds} s");

        Assert.Equal(string.Empty, later.GetProperty("error").GetString());
        Assert.True(later.GetProperty("audioFrames").GetInt32() > first.GetProperty("audioFrames").GetInt32() + 100, "sound keeps arriving");
        // Every picture of the stretch reached the player and none was dropped as late (a stalled MSE buffer drops or
        // never decodes them); the page's frame callbacks may merge two pictures into one paint when the machine is
        // busy, so the count of paints only has to show a moving picture.
        Assert.True(decodedFps >= 27, $"{decodedFps:F1} frames/s decoded and kept of 30");
        Assert.True(fps >= 20, $"{fps:F1} frames/s painted of 30");
        Assert.InRange(played / seconds, 0.8, 1.3);
        Assert.Equal(NtpTimestampOffset, session.Clock.MirrorToNtpSeconds);
        var p50 = later.GetProperty("p50");
        Assert.Equal(JsonValueKind.Number, p50.ValueKind);
        Assert.InRange(p50.GetDouble(), 0.001, 1000);
        Assert.True((await sending).Ok);
    }

    private const long NtpTimestampOffset = 2_208_988_800;

    [ChromiumFact]
    public Task Viewer_MseWithAudio_ReportsAvOffsetUnderFortyMilliseconds() => AssertAvOffsetAsync("mse");

    [ChromiumFact]
    public Task Viewer_WebCodecsWithAudio_ReportsAvOffsetUnderFortyMilliseconds() => AssertAvOffsetAsync("webcodecs");

    private async Task AssertAvOffsetAsync(string mode)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await using var host = await ReceiverHost.StartAsync();
        var (sending, _, page) = await WatchLiveAudioSessionAsync(host, 20, mode, $"{mode}-av-frames", cts.Token);

        // Let playback settle, then sample the player's estimate for two seconds: settled = the estimate within range
        // and the WebCodecs playout clock's offset unchanged for 1.5 s.
        await Task.Delay(TimeSpan.FromSeconds(2), cts.Token);
        var delays = new List<double?>();
        for (var i = 0; i < 40; i++)
        {
            var state = JsonDocument.Parse(await page.Page.EvaluateAsync<string>(
                "() => { const s = window.__viewerStats || {}; const c = window.__viewer && window.__viewer.player && window.__viewer.player.clock; return JSON.stringify({ av: typeof s.avOffsetMs === 'number' ? s.avOffsetMs : null, delay: c && typeof c.offsetMs === 'number' ? c.offsetMs : null }); }")).RootElement;
            var av = state.GetProperty("av");
            delays.Add(state.GetProperty("delay").ValueKind == JsonValueKind.Number ? state.GetProperty("delay").GetDouble() : null);
            var steady = delays.Count >= 6 && delays.TakeLast(6).Distinct().Count() == 1;
            if (av.ValueKind == JsonValueKind.Number && Math.Abs(av.GetDouble()) < 40 && steady)
            {
                break;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250), cts.Token);
        }

        var samples = new List<double>();
        for (var i = 0; i < 16; i++)
        {
            var value = await page.Page.EvaluateAsync<double?>("() => { const s = window.__viewerStats || {}; return typeof s.avOffsetMs === 'number' ? s.avOffsetMs : null; }");
            if (value is { } ms)
            {
                samples.Add(ms);
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250), cts.Token);
        }

        var error = await page.Page.EvaluateAsync<string>("() => (window.__viewerStats || {}).lastError || ''");
        output.WriteLine($"{mode}: avOffsetMs {string.Join(", ", samples.Select(s => s.ToString("F1", System.Globalization.CultureInfo.InvariantCulture)))}; playout delay changed by {(delays.LastOrDefault() - delays.FirstOrDefault())?.ToString("F0", System.Globalization.CultureInfo.InvariantCulture) ?? "–"} ms while settling");
        var playoutDelay = await page.Page.EvaluateAsync<double?>("() => { const s = window.__viewerStats || {}; return typeof s.playoutDelayMs === 'number' ? s.playoutDelayMs : null; }");
        output.WriteLine($"{mode}: playout delay {playoutDelay?.ToString("F1", System.Globalization.CultureInfo.InvariantCulture) ?? "–"} ms");
        Assert.True(playoutDelay is null or >= 0, $"playout delay {playoutDelay} ms");
        Assert.Equal(string.Empty, error);
        Assert.NotEmpty(samples);
        // The estimate follows the machine: a stall of the renderer or of the decoder moves it for a moment, and the
        // player must bring it back. The steady offset is the median of the samples; an excursion out of range must
        // end within 1.5 s (six samples in a row), and at least half the samples are in range.
        var sorted = samples.Order().ToArray();
        Assert.InRange(sorted[sorted.Length / 2], -40, 40);
        var longestExcursion = 0;
        var run = 0;
        foreach (var ms in samples)
        {
            run = Math.Abs(ms) < 40 ? 0 : run + 1;
            longestExcursion = Math.Max(longestExcursion, run);
        }

        Assert.True(longestExcursion <= 6, $"the offset stayed out of ±40 ms for {longestExcursion} samples in a row (250 ms apart)");
        Assert.True(samples.Count(ms => Math.Abs(ms) < 40) * 2 >= samples.Count, "half the samples within ±40 ms");
        await sending;
    }

    /// <summary>Starts a real-time session with sound and opens its viewer page once it presents frames.</summary>
    private async Task<(Task<SenderResult> Sending, MirroringSession Session, ViewerPage Page)> WatchLiveAudioSessionAsync(
        ReceiverHost host, int seconds, string mode, string label, CancellationToken cancellationToken)
    {
        if (chromium.MissingReason is { } reason)
        {
            throw new InvalidOperationException(reason);
        }

        return await WatchAsync(host, SenderTestMedia.LiveAudioOptions(host.ControlPort, seconds), mode, label, cancellationToken);
    }

    /// <summary>Starts a session with <paramref name="options"/> and opens its viewer page once it presents frames.</summary>
    private async Task<(Task<SenderResult> Sending, MirroringSession Session, ViewerPage Page)> WatchAsync(
        ReceiverHost host, SenderOptions options, string mode, string label, CancellationToken cancellationToken)
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
        var page = new ViewerPage(await chromium.NewPageAsync());
        await page.Page.GotoAsync(new Uri(host.WebUrl, $"/view/{session.Id}?mode={mode}").ToString());
        await page.WaitAsync(s => s.FramesPresented > 10, TimeSpan.FromSeconds(20), label);
        return (sending, session, page);
    }

    private static async Task<JsonElement> AudioStateAsync(ViewerPage page)
    {
        var json = await page.Page.EvaluateAsync<string>(
            """
            () => {
              const s = window.__viewerStats || {};
              const v = document.querySelector('video');
              const p = window.__viewer && window.__viewer.player;
              const end = (b) => b && b.buffered.length ? b.buffered.end(b.buffered.length - 1) : 0;
              return JSON.stringify({
                audioCodec: s.audioCodec || '', audioFrames: s.audioFrames || 0,
                decodedAudioBytes: v.webkitAudioDecodedByteCount || 0, currentTime: v.currentTime,
                volume: v.volume, lastError: s.lastError || '',
                audioEnd: end(p && p.audioBuffer), videoEnd: end(p && p.sourceBuffer) });
            }
            """);
        return JsonDocument.Parse(json).RootElement.Clone();
    }
}
