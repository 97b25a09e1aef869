using System.Net.Http.Json;
using System.Text.Json;
using Receiver.Sender.Casting;
using Receiver.Web.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Receiver.Web.Tests.Browser;

/// <summary>
/// Where and when a cast starts: it waits for a page and starts when one opens; a sender that requires a viewer is
/// accepted when a room display is open, which plays it; the older <c>Start-Position</c> fraction starts the video there.
/// </summary>
[Collection(ChromiumCollection.Name)]
public sealed class CastWaitAndStartTests(ChromiumFixture chromium, ITestOutputHelper output)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [ChromiumFact]
    public async Task WithoutRequiresViewer_TheCastWaitsForAPage_AndStartsWhenOneOpens()
    {
        Require.Ffmpeg();
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var ct = cts.Token;
        var folder = Path.Combine(Path.GetTempPath(), "cast-wait-" + Guid.NewGuid().ToString("N"));
        await CastClip.WriteMp4Async(folder, 20, ct);
        await using var media = CastMediaServer.Start(folder);
        await using var host = await ReceiverHost.StartAsync("--Receiver:Cast:AllowLoopbackUrls=true");
        await using var phone = await CastClient.ConnectAsync("127.0.0.1", host.ControlPort, ct);
        Assert.Equal(200, (await phone.PlayAsync(media.UrlOf("clip.mp4"), 0, null, ct)).StatusCode);
        await Task.Delay(2000, ct);
        var waiting = await phone.PlaybackInfoAsync(ct);
        Assert.Equal(0, waiting.Position);
        Assert.Equal(0, waiting.Rate);
        Assert.False(waiting.ReadyToPlay);

        var page = await chromium.NewPageAsync();
        await page.GotoAsync(new Uri(host.WebUrl, $"/view/{host.Sessions.Sessions.Single().Id}").ToString());
        await Eventually.TrueAsync(() => phone.PlaybackInfoAsync(ct).Result.Position > 1, Wait);
        Assert.Equal(1, (await phone.PlaybackInfoAsync(ct)).Rate);
        await page.Context.CloseAsync();
        Directory.Delete(folder, recursive: true);
    }

    [ChromiumFact]
    public async Task RequiresViewer_WithARoomDisplayOpen_IsAccepted_AndTheRoomDisplayPlaysIt()
    {
        Require.Ffmpeg();
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var ct = cts.Token;
        var folder = Path.Combine(Path.GetTempPath(), "cast-room-" + Guid.NewGuid().ToString("N"));
        await CastClip.WriteMp4Async(folder, 20, ct);
        await using var media = CastMediaServer.Start(folder);
        await using var host = await ReceiverHost.StartAsync("--Receiver:Cast:AllowLoopbackUrls=true");
        var page = await chromium.NewPageAsync();
        await page.GotoAsync(new Uri(host.WebUrl, "/view/").ToString());
        await Task.Delay(1500, ct);

        await using var phone = await CastClient.ConnectAsync("127.0.0.1", host.ControlPort, ct);
        var play = await phone.PlayAsync(media.UrlOf("clip.mp4"), 0, null, requiresViewer: true, ct);
        Assert.Equal(200, play.StatusCode);
        await Eventually.TrueAsync(() => page.EvaluateAsync<double>("() => document.querySelector('video').currentTime").Result > 1, Wait);
        Assert.Equal(1, (await phone.PlaybackInfoAsync(ct)).Rate);
        await page.Context.CloseAsync();
        Directory.Delete(folder, recursive: true);
    }

    [ChromiumFact]
    public async Task TextPlay_StartPositionFraction_StartsThePageAtThatShareOfTheVideo()
    {
        Require.Ffmpeg();
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var ct = cts.Token;
        var folder = Path.Combine(Path.GetTempPath(), "cast-start-" + Guid.NewGuid().ToString("N"));
        await CastClip.WriteMp4Async(folder, 20, ct);
        await using var media = CastMediaServer.Start(folder);
        await using var host = await ReceiverHost.StartAsync("--Receiver:Cast:AllowLoopbackUrls=true");
        await using var phone = await CastClient.ConnectAsync("127.0.0.1", host.ControlPort, ct);
        Assert.Equal(200, (await phone.PlayTextAsync(media.UrlOf("clip.mp4"), 0.5, requiresViewer: false, ct)).StatusCode);

        var page = await chromium.NewPageAsync();
        await page.GotoAsync(new Uri(host.WebUrl, $"/view/{host.Sessions.Sessions.Single().Id}").ToString());
        await Eventually.TrueAsync(() => phone.PlaybackInfoAsync(ct).Result.Rate == 1, Wait);
        var info = await phone.PlaybackInfoAsync(ct);
        var pageTime = await page.EvaluateAsync<double>("() => document.querySelector('video').currentTime");
        output.WriteLine($"Start-Position 0.5 of {info.Duration:0.000} s: playback-info {info.Position:0.000} s, page {pageTime:0.000} s");
        Assert.InRange(info.Duration, 19.5, 20.5);
        Assert.InRange(info.Position, 9.9, 11.5);
        Assert.InRange(pageTime, 9.9, 11.5);
        Assert.True(Math.Abs(info.Position - pageTime) <= 0.5);
        using var http = new HttpClient { BaseAddress = host.WebUrl };
        var position = (await http.GetFromJsonAsync<JsonElement>("/api/sessions", ct)).EnumerateArray().Single().GetProperty("cast").GetProperty("position").GetDouble();
        Assert.True(position >= 9.9);
        await page.Context.CloseAsync();
        Directory.Delete(folder, recursive: true);
    }

    [ChromiumFact]
    public async Task SimulatorCastCommand_WithTheTextFormAndAStartPosition_StartsThereAndPassesItsChecks()
    {
        Require.Ffmpeg();
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var folder = Path.Combine(Path.GetTempPath(), "cast-script-" + Guid.NewGuid().ToString("N"));
        await CastClip.WriteMp4Async(folder, 20, cts.Token);
        await using var media = CastMediaServer.Start(folder);
        await using var host = await ReceiverHost.StartAsync("--Receiver:Cast:AllowLoopbackUrls=true");
        var log = new StringWriter();
        var options = new CastScriptOptions { StartTimeout = TimeSpan.FromSeconds(60), TextStartFraction = 0.25 };
        var script = CastScript.RunAsync("127.0.0.1", host.ControlPort, media.UrlOf("clip.mp4"), options, log, cts.Token);
        await Eventually.TrueAsync(() => host.Sessions.Count == 1, Wait);
        var page = await chromium.NewPageAsync();
        await page.GotoAsync(new Uri(host.WebUrl, $"/view/{host.Sessions.Sessions.Single().Id}").ToString());
        var problems = await script;
        output.WriteLine(log.ToString());
        Assert.Empty(problems);
        Assert.Contains("playing: position", log.ToString(), StringComparison.Ordinal);
        await page.Context.CloseAsync();
        Directory.Delete(folder, recursive: true);
    }
}
