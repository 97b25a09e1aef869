using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text.Json;
using Microsoft.Playwright;
using Receiver.Web.Tests.Admin;
using Receiver.Web.Tests.Browser;
using Receiver.Web.Tests.Infrastructure;
using Receiver.Web.WebRtc;

namespace Receiver.Web.Tests.WebRtc;

/// <summary>
/// Janus's state on the dashboard, and each session's mountpoint and WebRTC viewers, from <c>GET /api/webrtc</c> and
/// the hub's <c>WebRtcChanged</c>.
/// </summary>
[Collection(ChromiumCollection.Name)]
public sealed class WebRtcDashboardTests(ChromiumFixture chromium)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    [Fact]
    public async Task Api_WithoutJanus_SaysOff_AndListsNoSessions()
    {
        await using var host = await ReceiverHost.StartAsync();
        AdminSessions.Start(host, "Anna's iPhone");
        using var http = new HttpClient { BaseAddress = host.WebUrl };

        var status = await http.GetFromJsonAsync<WebRtcStatus>("/api/webrtc", Json);

        Assert.NotNull(status);
        Assert.Equal(("off", 0), (status.Janus, status.Viewers));
        Assert.Empty(status.Sessions);
    }

    [JanusChromiumFact]
    public async Task Dashboard_ShowsJanusReachable_TheSessionsMountpointAndItsWebRtcViewers_ThenUnreachable()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var janus = await JanusProcess.StartAsync(cts.Token);
        try
        {
            await using var host = await ReceiverHost.StartAsync($"--Receiver:WebRtc:JanusUrl={janus.ApiUrl}", "--Receiver:WebRtc:RequestTimeoutSeconds=2");
            var clip = await H264Clip.CreateAsync(320, 240, 60);
            var page = await chromium.NewPageAsync();
            try
            {
                await page.GotoAsync(host.WebUrl.ToString());
                var line = page.Locator("#receiver-webrtc");
                await Assertions.Expect(line).ToBeVisibleAsync();
                await Assertions.Expect(line).ToHaveAttributeAsync("data-janus", "reachable");
                await Assertions.Expect(line).ToContainTextAsync("Janus reachable · 0 WebRTC viewers");

                var session = AdminSessions.Start(host, "Anna's iPhone");
                var row = page.Locator($"li.session[data-session-id='{session.Id}']");
                await Assertions.Expect(row).ToBeVisibleAsync();
                await Assertions.Expect(row.Locator(".webrtc")).ToHaveTextAsync("WebRTC: no stream in Janus");
                clip.BeginVideo(host, session);
                clip.Publish(session, 0, 30);
                await Assertions.Expect(row.Locator(".webrtc")).ToHaveTextAsync("WebRTC up · 0 viewers");
                Assert.Equal("up", await row.GetAttributeAsync("data-webrtc"));

                // A WebRTC viewer's signalling socket: the session and the receiver count it while it is open.
                using (var socket = new ClientWebSocket())
                {
                    socket.Options.SetRequestHeader("Origin", host.WebUrl.GetLeftPart(UriPartial.Authority));
                    await socket.ConnectAsync(new Uri($"ws://{host.WebUrl.Authority}/ws/sessions/{session.Id}/webrtc"), cts.Token);
                    var offer = await socket.ReceiveAsync(new byte[64 * 1024], cts.Token);
                    Assert.Equal(WebSocketMessageType.Text, offer.MessageType);
                    await Assertions.Expect(row.Locator(".webrtc")).ToHaveTextAsync("WebRTC up · 1 viewer");
                    await Assertions.Expect(line).ToContainTextAsync("1 WebRTC viewer");
                    using var http = new HttpClient { BaseAddress = host.WebUrl };
                    var status = await http.GetFromJsonAsync<WebRtcStatus>("/api/webrtc", Json, cts.Token);
                    var mine = Assert.Single(status!.Sessions);
                    Assert.Equal((session.Id, true, 1), (mine.SessionId, mine.Mountpoint, mine.Viewers));
                    Assert.NotNull(mine.MountpointId);
                    await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "done", cts.Token);
                }

                await Assertions.Expect(row.Locator(".webrtc")).ToHaveTextAsync("WebRTC up · 0 viewers");

                // Janus goes away: the next check says so on the dashboard.
                await janus.DisposeAsync();
                await Assertions.Expect(line).ToHaveAttributeAsync("data-janus", "unreachable", new() { Timeout = 20_000 });
                await Assertions.Expect(line).ToContainTextAsync("Janus unreachable");
            }
            finally
            {
                await page.Context.CloseAsync();
            }
        }
        finally
        {
            await janus.DisposeAsync();
        }
    }
}
