using System.Diagnostics;
using Receiver.Core.Media;
using Receiver.Core.Timing;
using Receiver.Web.Tests.Infrastructure;
using Receiver.Web.Tests.Viewer;
using Xunit.Abstractions;

namespace Receiver.Web.Tests.Browser;

/// <summary>A WebCodecs viewer that joins mid-GOP decodes the pictures so far without showing them, unless nothing newer comes.</summary>
[Collection(ChromiumCollection.Name)]
public sealed class LateJoinerTests(ChromiumFixture chromium, ITestOutputHelper output)
{
    [ChromiumFact]
    public async Task Viewer_WebCodecsJoiningAStillScreen_ShowsTheNewestPictureOfTheBacklog()
    {
        // A still screen: the sender sent a keyframe and 19 more pictures, then nothing. The joiner receives those 20
        // as backlog; with no live picture behind them, the last one is what there is to see.
        Require.Ffmpeg();
        var clip = await H264Clip.CreateAsync(320, 240, 30, 30, 60);
        await using var live = await LiveSession.StartAsync(null);
        var media = live.Session.Media;
        media.Publish(clip.Format);
        for (var i = 0; i < 20; i++)
        {
            var senderTime = live.Session.Clock.ToSessionTime(SenderTimeDomain.Mirror, NtpTimestamp.FromNanoseconds(NtpTimestamp.NowNanoseconds(TimeProvider.System)), live.Session.Clock.LocalNow);
            media.Publish(new VideoAccessUnit(clip.Frames[i].Payload, clip.Frames[i].IsKeyframe, i * 3000L, senderTime, Stopwatch.GetTimestamp()));
        }

        var page = new ViewerPage(await chromium.NewPageAsync());
        await page.Page.GotoAsync(live.ViewUrl("mode=webcodecs").ToString());
        await page.WaitAsync(s => s.FramesPresented > 0, TimeSpan.FromSeconds(20), "still-screen-joiner");
        await Task.Delay(500);
        var state = await page.Page.EvaluateAsync<string>("() => JSON.stringify({ backlog: window.__viewerStats.backlogDecoded, presented: window.__viewerStats.framesPresented, decoded: window.__viewerStats.framesDecoded, error: window.__viewerStats.lastError })");
        output.WriteLine(state);
        var root = System.Text.Json.JsonDocument.Parse(state).RootElement;
        Assert.Equal(20, root.GetProperty("backlog").GetInt32());
        Assert.Equal(20, root.GetProperty("decoded").GetInt32());
        Assert.Equal(1, root.GetProperty("presented").GetInt32());
        Assert.Equal(string.Empty, root.GetProperty("error").GetString());
        await page.Page.Context.CloseAsync();
    }
}
