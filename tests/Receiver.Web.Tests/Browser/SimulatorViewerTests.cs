using Receiver.Sender.Sessions;
using Receiver.Sender.Video;
using Receiver.Web.Tests.Infrastructure;
using Receiver.Web.Tests.Sender;
using Receiver.Web.Tests.Viewer;
using Xunit.Abstractions;

namespace Receiver.Web.Tests.Browser;

/// <summary>The whole chain a user sees: sender simulator → receiver → viewer page in headless Chromium.</summary>
[Collection(ChromiumCollection.Name)]
public sealed class SimulatorViewerTests(ChromiumFixture chromium, ITestOutputHelper output)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [ChromiumTheory]
    [InlineData("webcodecs")]
    [InlineData("mse")]
    public async Task Simulator_ToReceiver_ToPage_PlaysRotatesAndEnds(string mode)
    {
        Require.Ffmpeg();
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await using var host = await ReceiverHost.StartAsync();
        var options = new SenderOptions
        {
            Host = "127.0.0.1",
            Port = host.ControlPort,
            Video = VideoSourceSpec.ParsePattern("1280x720@30") with { RotateAt = 7 },
            Seconds = 12,
            FairPlayFile = SenderTestMedia.FairPlayFile,
            Name = "Browser Test Phone",
        };
        var run = new AirPlaySenderSession(options).RunAsync(cts.Token);
        var session = await WaitForSessionAsync(host, cts.Token);
        var context = await chromium.Browser.NewContextAsync(new() { ViewportSize = new() { Width = 960, Height = 540 } });
        var page = new ViewerPage(await context.NewPageAsync());

        await page.Page.GotoAsync(new Uri(host.WebUrl, $"/view/{session.Id}?mode={mode}").ToString());
        var playing = await page.WaitAsync(s => s.FramesPresented > 15 && s.Width == 1280, Patience, $"simulator-{mode}-landscape");
        await page.ScreenshotAsync($"simulator-{mode}-landscape");
        await page.Page.EvaluateAsync("() => { window.__loadMarker = 7; }");
        var rotated = await page.WaitAsync(s => s.Width == 720 && s.Height == 1280 && s.FramesPresented > playing.FramesPresented + 15, Patience, $"simulator-{mode}-portrait");
        await page.ScreenshotAsync($"simulator-{mode}-portrait");
        var result = await run;
        var ended = await page.WaitAsync(s => s.State == "ended", Patience, $"simulator-{mode}-ended");
        await page.ScreenshotAsync($"simulator-{mode}-ended");
        await context.DisposeAsync();

        output.WriteLine($"{mode}: playing {playing}; rotated {rotated}; ended {ended}");
        Assert.True(result.Ok, result.Error);
        Assert.Equal(7, rotated.LoadMarker);
        Assert.Equal("Stream ended", ended.Message);
    }

    private static async Task<Receiver.Core.Sessions.MirroringSession> WaitForSessionAsync(ReceiverHost host, CancellationToken cancellationToken)
    {
        while (true)
        {
            var session = host.Sessions.Sessions.FirstOrDefault();
            if (session?.CurrentFormat is not null)
            {
                return session;
            }

            await Task.Delay(50, cancellationToken);
        }
    }
}
