using System.Globalization;
using Receiver.Core.Media;
using Receiver.Core.Timing;
using Receiver.Sender.Sessions;
using Receiver.Sender.Video;
using Receiver.Web.Tests.Infrastructure;
using Receiver.Web.Tests.Sender;
using Receiver.Web.Tests.Viewer;
using Xunit.Abstractions;

namespace Receiver.Web.Tests.Browser;

/// <summary>
/// The MSE player fed by a phone-like sender (boot clock) with a pre-encoded clip in real time, with and without
/// sound: frames decoded and painted per second of media, stalls, seeks and latency. The figures go to the test
/// output and TestResults/viewer-latency.txt; the checks are generous floors, the benchmark measures.
/// </summary>
[Collection(ChromiumCollection.Name)]
public sealed class MseSoundTests(ChromiumFixture chromium, ITestOutputHelper output)
{
    [ChromiumTheory]
    [InlineData(640, 360, 60, true)]
    [InlineData(640, 360, 60, false)]
    public async Task MsePlayer_PhoneLikeSender_KeepsUpWithAndWithoutSound(int width, int height, int rate, bool sound)
    {
        Require.Ffmpeg();
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var clip = await MseTestClip.GetAsync(width, height, rate, 16);
        await using var host = await ReceiverHost.StartAsync();
        var options = new SenderOptions
        {
            Host = "127.0.0.1",
            Port = host.ControlPort,
            Video = VideoSourceSpec.ForFile(clip, rate),
            Seconds = 16,
            Fast = false,
            Audio = sound,
            AudioFramesFile = sound ? SenderTestMedia.AudioFrames : null,
            FairPlayFile = SenderTestMedia.FairPlayFile,
            Clock = "boot",
        };
        var sending = new AirPlaySenderSession(options).RunAsync(cts.Token);
        while (host.Sessions.Count == 0 && !sending.IsCompleted)
        {
            await Task.Delay(10, cts.Token);
        }

        var session = host.Sessions.Sessions.First();
        var page = new ViewerPage(await chromium.NewPageAsync());
        await page.Page.GotoAsync(new Uri(host.WebUrl, $"/view/{session.Id}?mode=mse").ToString());
        var probe = await MsePlaybackProbe.InstallAsync(page.Page);
        await page.WaitAsync(s => s.FramesPresented > 0, TimeSpan.FromSeconds(20), "mse-sound");
        await Task.Delay(TimeSpan.FromSeconds(2), cts.Token);
        var figures = await probe.MeasureAsync(TimeSpan.FromSeconds(8), cts.Token);
        var steadyAfter = await probe.SteadyAfterAsync(figures.Last.TargetLag);
        if (Environment.GetEnvironmentVariable("MSE_TRACE") is not null)
        {
            foreach (var sample in await probe.SamplesAsync())
            {
                output.WriteLine(string.Join(' ', sample.Select(x => x.ToString("F3", CultureInfo.InvariantCulture))));
            }
        }

        await page.ScreenshotAsync($"mse-{(sound ? "sound" : "silent")}-{width}x{height}@{rate}");
        await page.Page.Context.CloseAsync();
        var line = string.Create(CultureInfo.InvariantCulture, $"{DateTime.UtcNow:u} MSE {width}x{height}@{rate} sound={sound}: steady {steadyAfter:F2} s after the first picture; {figures}");
        output.WriteLine(line);
        await File.AppendAllTextAsync(Path.Combine(ChromiumFixture.ScreenshotDirectory, "..", "viewer-latency.txt"), line + Environment.NewLine);

        Assert.Equal(string.Empty, figures.Last.Error);
        Assert.Equal("mse", figures.Last.Mode);
        // A generous floor: each stall of a loaded machine costs the pictures of the lag it adds, worked off afterwards
        // (the plain-HTTP test asserts 95 % at 30 fps; the benchmark measures).
        Assert.True(figures.DecodedPerMediaSecond >= 0.8 * rate, $"{figures.DecodedPerMediaSecond:F1} frames/s decoded and kept of {rate}");
        Assert.InRange(figures.Played / figures.Seconds, 0.8, 1.3);
        if (sound)
        {
            Assert.True(figures.AudioFrames > 100, "sound keeps arriving");
            Assert.True(figures.Last.AudioBytes > figures.First.AudioBytes, "sound is decoded");
        }

        cts.Cancel();
        try
        {
            await sending;
        }
        catch (OperationCanceledException)
        {
        }
    }

    [ChromiumFact]
    public async Task MsePlayer_StillScreen_ViewerJoiningAfterTheLastPictureShowsIt()
    {
        // A phone whose screen does not change sends no pictures: the viewer gets the GOP so far and nothing after it,
        // and must show it without waiting for pictures arriving at the stream's pace.
        Require.Ffmpeg();
        var clip = await H264Clip.GetAsync(320, 240, 30, 1, 30);
        await using var live = await LiveSession.StartAsync(null);
        live.Session.Media.Publish(clip.Format);
        for (var i = 0; i < 3; i++)
        {
            live.Session.Media.Publish(new VideoAccessUnit(
                clip.Frames[i].Payload,
                clip.Frames[i].IsKeyframe,
                i * 3000L,
                live.Session.Clock.ToSessionTime(SenderTimeDomain.Mirror, NtpTimestamp.FromNanoseconds(NtpTimestamp.NowNanoseconds(TimeProvider.System)), live.Session.Clock.LocalNow),
                System.Diagnostics.Stopwatch.GetTimestamp()));
        }

        var page = new ViewerPage(await chromium.NewPageAsync());
        await page.Page.GotoAsync(live.ViewUrl("mode=mse").ToString());
        var shown = await page.WaitAsync(s => s.FramesPresented > 0 && s.Width == 320, TimeSpan.FromSeconds(15), "mse-still-screen");
        // The player started (a paused element shows its first picture too) and plays up to what it has.
        var state = "() => { const v = document.querySelector('video'); const p = window.__viewer.player; return JSON.stringify({ currentTime: v.currentTime, paused: v.paused, readyState: v.readyState, buffered: v.buffered.length ? [v.buffered.start(0), v.buffered.end(v.buffered.length - 1)] : [], started: p.started, live: p.live }); }";
        try
        {
            await page.Page.WaitForFunctionAsync("() => { const v = document.querySelector('video'); const p = window.__viewer.player; return p.started && !v.paused && v.buffered.length > 0 && v.currentTime >= v.buffered.end(0) - 0.02; }", null, new() { Timeout = 10_000 });
        }
        finally
        {
            output.WriteLine($"still screen: {shown}; {await page.Page.EvaluateAsync<string>(state)}");
        }

        Assert.Equal(string.Empty, shown.LastError);
        await page.Page.Context.CloseAsync();
    }
}

/// <summary>A pre-encoded test clip (Annex-B H.264, x264 veryfast zerolatency, no B-frames, IDR every 2 s), made once per size and kept in the temp directory.</summary>
internal static class MseTestClip
{
    public static async Task<string> GetAsync(int width, int height, int rate, int seconds)
    {
        var directory = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "airplay-test-clips")).FullName;
        var bitrate = width * height >= 1280 * 720 ? "8M" : "3M";
        var file = Path.Combine(directory, string.Create(CultureInfo.InvariantCulture, $"{width}x{height}@{rate}-{seconds}s-{bitrate}.h264"));
        if (File.Exists(file))
        {
            return file;
        }

        var partial = file + "." + Guid.NewGuid().ToString("N")[..8];
        var (code, text) = await ExternalTools.RunFfmpegAsync("ffmpeg",
        [
            "-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i", string.Create(CultureInfo.InvariantCulture, $"testsrc2=size={width}x{height}:rate={rate}"),
            "-t", seconds.ToString(CultureInfo.InvariantCulture), "-c:v", "libx264", "-preset", "veryfast", "-tune", "zerolatency", "-bf", "0",
            "-g", (2 * rate).ToString(CultureInfo.InvariantCulture), "-b:v", bitrate, "-pix_fmt", "yuv420p", "-f", "h264", partial,
        ], TimeSpan.FromMinutes(3));
        Assert.True(code == 0, text);
        File.Move(partial, file, overwrite: true);
        return file;
    }
}
