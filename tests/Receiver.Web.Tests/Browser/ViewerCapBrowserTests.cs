using Receiver.Web.Tests.Infrastructure;
using Receiver.Web.Tests.Viewer;

namespace Receiver.Web.Tests.Browser;

/// <summary>A viewer page beyond the session's viewer cap says why it shows nothing, and plays once a place is free.</summary>
[Collection(ChromiumCollection.Name)]
public sealed class ViewerCapBrowserTests(ChromiumFixture chromium)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [ChromiumFact]
    public async Task PageBeyondTheViewerCap_ShowsTooManyViewers_ThenPlaysWhenAPlaceIsFree()
    {
        Require.Ffmpeg();
        if (chromium.MissingReason is { } reason)
        {
            throw new InvalidOperationException(reason);
        }

        await using var live = await LiveSession.StartAsync(await H264Clip.GetAsync(640, 360, 30, 2, 60), "--Receiver:Viewer:MaxViewersPerSession=1");
        var holder = await live.ConnectAsync();
        await holder.ReceiveMediaAsyncAfterFormat();
        var page = new ViewerPage(await chromium.NewPageAsync());

        await page.Page.GotoAsync(live.ViewUrl("mode=mse").ToString());

        var refused = await page.WaitAsync(s => s.State == "full", Patience, "viewer-cap-full");
        Assert.Contains("Too many viewers", refused.Message, StringComparison.Ordinal);
        Assert.Contains("this session has 1 viewers", refused.Message, StringComparison.Ordinal);
        Assert.Equal(1, live.Session.Media.ViewerCount);

        // The page tries again by itself and plays once the other viewer has left.
        await holder.DisposeAsync();
        await page.WaitAsync(s => s.State == "playing" && s.FramesPresented > 0, Patience, "viewer-cap-playing");
    }
}
