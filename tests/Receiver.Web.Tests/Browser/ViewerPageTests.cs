using Receiver.Web.Tests.Infrastructure;
using Receiver.Web.Tests.Viewer;
using Xunit.Abstractions;

namespace Receiver.Web.Tests.Browser;

[Collection(ChromiumCollection.Name)]
public sealed class ViewerPageTests(ChromiumFixture chromium, ITestOutputHelper output)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private static Task<H264Clip> Landscape() => H264Clip.GetAsync(1280, 720, 30, 4, 60);

    private static Task<H264Clip> Portrait() => H264Clip.GetAsync(720, 1280, 30, 2, 60);

    [ChromiumTheory]
    [InlineData("mse")]
    [InlineData("webcodecs")]
    public async Task Viewer_LiveSession_ShowsStreamAtItsSizeAndFramesAdvance(string mode)
    {
        Require.Ffmpeg();
        var page = await OpenAsync();
        await using var live = await LiveSession.StartAsync(await Landscape());
        await page.Page.GotoAsync(live.ViewUrl($"mode={mode}").ToString());

        var first = await page.WaitAsync(s => s.FramesPresented > 10 && s.Width > 0, Patience, $"{mode}-first-frames");
        Assert.Equal((1280, 720, mode, "playing", string.Empty), (first.Width, first.Height, first.Mode, first.State, first.Message));
        var later = await page.WaitAsync(s => s.FramesPresented >= first.FramesPresented + 30 && s.LatencyCount > 0, Patience, $"{mode}-more-frames");
        await page.ScreenshotAsync($"{mode}-playing");
        output.WriteLine($"{mode}: {later}");
        Assert.True(later.FramesPresented >= first.FramesPresented + 30, $"{first.FramesPresented} → {later.FramesPresented}");
        Assert.True(later.LatencyCount > 0);
    }

    [ChromiumTheory]
    [InlineData("mse")]
    [InlineData("webcodecs")]
    public async Task Viewer_FormatChange_ResizesWithoutReload(string mode)
    {
        Require.Ffmpeg();
        var portrait = await Portrait();
        var page = await OpenAsync();
        await using var live = await LiveSession.StartAsync(await Landscape());
        await page.Page.GotoAsync(live.ViewUrl($"mode={mode}").ToString());
        await page.WaitAsync(s => s.FramesPresented > 10 && s.Width == 1280, Patience, $"{mode}-landscape");
        await page.Page.EvaluateAsync("() => { window.__loadMarker = 42; }");

        live.Sender!.SwitchTo(portrait);
        var rotated = await page.WaitAsync(s => s.Width == 720 && s.Height == 1280, Patience, $"{mode}-portrait");
        var frames = rotated.FramesPresented;
        var after = await page.WaitAsync(s => s.FramesPresented > frames + 20, Patience, $"{mode}-portrait-frames");
        await page.ScreenshotAsync($"{mode}-format-change");
        output.WriteLine($"{mode}: {after}");
        Assert.Equal(42, after.LoadMarker);
        Assert.Equal((720, 1280), (after.Width, after.Height));
    }

    [ChromiumTheory]
    [InlineData("mse")]
    [InlineData("webcodecs")]
    public async Task Viewer_SecondTabThreeSecondsLate_ShowsPictureWithinOneGop(string mode)
    {
        Require.Ffmpeg();
        var clip = await Landscape();
        var first = await OpenAsync();
        await using var live = await LiveSession.StartAsync(clip);
        await first.Page.GotoAsync(live.ViewUrl($"mode={mode}").ToString());
        await first.WaitAsync(s => s.FramesPresented > 0, Patience, $"{mode}-first-tab");
        await Task.Delay(TimeSpan.FromSeconds(3));

        var second = await OpenAsync();
        await second.Page.GotoAsync(live.ViewUrl($"mode={mode}").ToString());
        var gop = TimeSpan.FromSeconds(60.0 / clip.FrameRate);
        var shown = await second.WaitAsync(s => s.FramesPresented > 0, gop + TimeSpan.FromSeconds(3), $"{mode}-second-tab");
        await second.ScreenshotAsync($"{mode}-late-joiner");
        output.WriteLine($"{mode}: late joiner's first frame {shown.FirstFrameMs:F0} ms after navigation (GOP {gop.TotalMilliseconds} ms)");
        Assert.True(shown.FirstFrameMs < gop.TotalMilliseconds + 1000, $"first frame after {shown.FirstFrameMs} ms");
        Assert.Equal(2, live.Session.Media.ViewerCount);
    }

    [ChromiumTheory]
    [InlineData("mse")]
    [InlineData("webcodecs")]
    public async Task Viewer_SessionEnds_ShowsStreamEnded(string mode)
    {
        Require.Ffmpeg();
        var page = await OpenAsync();
        await using var live = await LiveSession.StartAsync(await Landscape());
        await page.Page.GotoAsync(live.ViewUrl($"mode={mode}").ToString());
        await page.WaitAsync(s => s.FramesPresented > 5, Patience, $"{mode}-before-end");

        live.End();
        var ended = await page.WaitAsync(s => s.State == "ended", Patience, $"{mode}-ended");
        await page.ScreenshotAsync($"{mode}-ended");
        Assert.Equal("Stream ended", ended.Message);
    }

    [ChromiumFact]
    public async Task Viewer_SessionWithoutVideo_ShowsWaitingThenPlays()
    {
        Require.Ffmpeg();
        var page = await OpenAsync();
        await using var live = await LiveSession.StartAsync(null);
        await page.Page.GotoAsync(live.ViewUrl().ToString());
        var waiting = await page.WaitAsync(s => s.Message.Length > 0, Patience, "waiting");
        Assert.Equal("Waiting for a sender…", waiting.Message);
        await page.ScreenshotAsync("waiting");

        live.Play(await Landscape());
        var playing = await page.WaitAsync(s => s.FramesPresented > 5, Patience, "waiting-then-playing");
        Assert.Equal(string.Empty, playing.Message);
        Assert.Equal("webcodecs", playing.Mode);
    }

    [ChromiumFact]
    public async Task Viewer_ModeButton_SwitchesPlayerWithoutReload()
    {
        Require.Ffmpeg();
        var page = await OpenAsync();
        await using var live = await LiveSession.StartAsync(await Landscape());
        await page.Page.GotoAsync(live.ViewUrl("mode=webcodecs").ToString());
        await page.WaitAsync(s => s.FramesPresented > 5, Patience, "mode-webcodecs");
        await page.Page.EvaluateAsync("() => { window.__loadMarker = 7; }");

        await page.Page.ClickAsync("[data-action=mode]");
        var switched = await page.WaitAsync(s => s.Mode == "mse" && s.Width == 1280, Patience, "mode-mse");
        var frames = switched.FramesPresented;
        var after = await page.WaitAsync(s => s.FramesPresented > frames + 10, Patience, "mode-mse-frames");
        Assert.Equal(7, after.LoadMarker);
        Assert.EndsWith("mode=mse", page.Page.Url, StringComparison.Ordinal);
    }

    private async Task<ViewerPage> OpenAsync()
    {
        if (chromium.MissingReason is { } reason)
        {
            throw new InvalidOperationException(reason);
        }

        return new ViewerPage(await chromium.NewPageAsync());
    }
}
