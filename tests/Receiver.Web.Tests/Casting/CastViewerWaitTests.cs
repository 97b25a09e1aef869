using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Receiver.Sender.Casting;
using Receiver.Web.Hubs;
using Receiver.Web.Tests.Admin;
using Receiver.Web.Tests.Infrastructure;

namespace Receiver.Web.Tests.Casting;

/// <summary>
/// A cast with no viewer page open: refused when the sender asks for it (<c>requiresViewer</c>), otherwise it waits,
/// at most <c>Receiver:Cast:NoViewerTimeoutSeconds</c>.
/// </summary>
public sealed class CastViewerWaitTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task RequiresViewer_WithNoPageOpen_IsRefusedWith503_AndTheHubSaysWhy(bool textForm)
    {
        await using var host = await ReceiverHost.StartAsync();
        await using var hub = await HubClient.ConnectAsync(host.WebUrl);
        await using var phone = await CastClient.ConnectAsync("127.0.0.1", host.ControlPort, CancellationToken.None);
        var url = new Uri("http://192.0.2.10/clip.mp4");
        var response = textForm
            ? await phone.PlayTextAsync(url, 0, requiresViewer: true, CancellationToken.None)
            : await phone.PlayAsync(url, 0, null, requiresViewer: true, CancellationToken.None);

        Assert.Equal(503, response.StatusCode);
        Assert.Equal("refused: no viewer page is open", Encoding.UTF8.GetString(response.Body));
        Assert.Equal(0, host.Sessions.Count);
        var notice = await hub.WaitForAsync<SenderNoticeMessage>(nameof(ISessionsClient.SenderNotice));
        Assert.Equal("castRefused", notice.Kind);
        Assert.Equal("no viewer page is open", notice.Detail);
        Assert.Null(notice.SessionId);

        // The connection goes on serving, and without the request the same video waits for a page.
        Assert.Equal(200, (await phone.PlayAsync(url, 0, null, CancellationToken.None)).StatusCode);
        Assert.Equal(1, host.Sessions.Count);
    }

    [Fact]
    public async Task ACastNoPageOpens_WaitsAtMostTheBound_ThenFailsWithTheReason_AndThePhoneHearsStopped()
    {
        await using var host = await ReceiverHost.StartAsync("--Receiver:Cast:NoViewerTimeoutSeconds=2");
        await using var phone = await CastClient.ConnectAsync("127.0.0.1", host.ControlPort, CancellationToken.None);
        Assert.Equal(101, await phone.OpenReverseAsync("127.0.0.1", host.ControlPort, CancellationToken.None));
        phone.AnswerPlaylistRequests(null);
        Assert.Equal(200, (await phone.PlayAsync(new Uri("http://192.0.2.10/clip.mp4"), 0, null, CancellationToken.None)).StatusCode);
        using var http = new HttpClient { BaseAddress = host.WebUrl };
        Assert.Equal("loading", await StateAsync(http));

        await Eventually.TrueAsync(() => StateAsync(http).Result.StartsWith("failed", StringComparison.Ordinal), Wait);
        Assert.Equal("failed: no viewer page opened within 2 s", await StateAsync(http));
        await Eventually.TrueAsync(() => Events(phone).Contains("stopped"), Wait);
        Assert.Equal(["loading", "stopped"], Events(phone));
    }

    [Fact]
    public async Task NoViewerTimeout_OutOfRange_FailsValidationAtStart()
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() => ReceiverHost.StartAsync("--Receiver:Cast:NoViewerTimeoutSeconds=0"));
        Assert.Contains("NoViewerTimeoutSeconds", error.ToString(), StringComparison.Ordinal);
    }

    private static async Task<string> StateAsync(HttpClient http) =>
        (await http.GetFromJsonAsync<JsonElement>("/api/sessions")).EnumerateArray().Single().GetProperty("cast").GetProperty("state").GetString()!;

    private static string[] Events(CastClient phone)
    {
        lock (phone.Events)
        {
            return [.. phone.Events];
        }
    }
}
