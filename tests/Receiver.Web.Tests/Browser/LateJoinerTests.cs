using System.Diagnostics;
using Receiver.Core.Media;
using Receiver.Core.Timing;
using Receiver.Web.Tests.Infrastructure;
using Receiver.Web.Tests.Viewer;
using Xunit.Abstractions;

namespace Receiver.Web.Tests.Browser;

/// <summary>
/// A WebCodecs viewer that joins mid-GOP decodes the pictures so far without showing them, unless nothing newer comes;
/// one whose pictures were held up on the way decodes the burst and goes on from the newest, without a keyframe.
/// </summary>
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
        live.Session.Media.Publish(clip.Format);
        for (var i = 0; i < 20; i++)
        {
            PublishPicture(live, clip, i, frameRate: 30);
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

    [ChromiumFact]
    public async Task Viewer_WebCodecsAfterAStallOnTheWay_CatchesUpWithoutWaitingForAKeyframe()
    {
        // 60 pictures a second with one keyframe in 20 s, as a phone that sends keyframes rarely. After 3 s the pictures
        // stop for 0.7 s and then the 42 held up arrive at once, as after a stall on the network; then real time again.
        // A player that gave up on the burst would wait for a keyframe that does not come.
        Require.Ffmpeg();
        var clip = await H264Clip.CreateAsync(320, 240, 600, 60, 1200);
        await using var live = await LiveSession.StartAsync(null);
        live.Session.Media.Publish(clip.Format);
        var page = new ViewerPage(await chromium.NewPageAsync());
        var next = 0;
        void Publish() => PublishPicture(live, clip, next++, frameRate: 60);

        Publish();
        await page.Page.GotoAsync(live.ViewUrl("mode=webcodecs").ToString());
        await page.WaitAsync(s => s.FramesPresented > 0, TimeSpan.FromSeconds(20), "stall-first-picture");
        var clock = Stopwatch.StartNew();
        var stalled = false;
        var presentedBeforeStall = 0;
        while (next < clip.Frames.Count && clock.Elapsed < TimeSpan.FromSeconds(6))
        {
            if (!stalled && clock.Elapsed >= TimeSpan.FromSeconds(3))
            {
                presentedBeforeStall = (int)(await page.SnapshotAsync()).FramesPresented;
                await Task.Delay(700);
                stalled = true;
            }

            // Every picture due by now goes out: one at a time in real time, the held-up ones at once after the stall.
            while (next < clip.Frames.Count && next * 1000.0 / 60 <= clock.Elapsed.TotalMilliseconds)
            {
                Publish();
            }

            await Task.Delay(4);
        }

        await Task.Delay(300);
        var state = await page.Page.EvaluateAsync<string>("() => JSON.stringify({ presented: window.__viewerStats.framesPresented, decoded: window.__viewerStats.framesDecoded, dropped: window.__viewerStats.droppedFrames, caughtUp: window.__viewerStats.catchUpSkipped, error: window.__viewerStats.lastError })");
        output.WriteLine($"{next} pictures published, presented {presentedBeforeStall} before the stall; {state}");
        var root = System.Text.Json.JsonDocument.Parse(state).RootElement;
        Assert.Equal(string.Empty, root.GetProperty("error").GetString());
        Assert.Equal(0, root.GetProperty("dropped").GetInt32());
        Assert.Equal(next, root.GetProperty("decoded").GetInt32());
        Assert.True(root.GetProperty("caughtUp").GetInt32() > 0, "the burst was caught up with: its older pictures decoded, not shown");
        // The last 2.3 s after the stall at 60 a second: about 138 pictures; a player waiting for a keyframe shows none.
        Assert.True(root.GetProperty("presented").GetInt32() - presentedBeforeStall > 100, $"pictures keep coming after the stall: {state}");
        await page.Page.Context.CloseAsync();
    }

    /// <summary>Publishes picture <paramref name="index"/> of <paramref name="clip"/> now, stamped as a phone's mirror stream at <paramref name="frameRate"/>.</summary>
    private static void PublishPicture(LiveSession live, H264Clip clip, int index, int frameRate)
    {
        var senderTime = live.Session.Clock.ToSessionTime(SenderTimeDomain.Mirror, NtpTimestamp.FromNanoseconds(NtpTimestamp.NowNanoseconds(TimeProvider.System)), live.Session.Clock.LocalNow);
        var frame = clip.Frames[index];
        live.Session.Media.Publish(new VideoAccessUnit(frame.Payload, frame.IsKeyframe, index * (90_000L / frameRate), senderTime, Stopwatch.GetTimestamp()));
    }
}
