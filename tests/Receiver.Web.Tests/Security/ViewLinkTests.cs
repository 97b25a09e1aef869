using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Receiver.Core.Sessions;
using Receiver.Web.Access;
using Receiver.Web.Hubs;
using Receiver.Web.Security;
using Receiver.Web.Tests.Infrastructure;
using Receiver.Web.Tests.Viewer;

namespace Receiver.Web.Tests.Security;

/// <summary>
/// Viewing links and the media WebSocket from an untrusted address (loopback with <c>TrustLoopback=false</c>): 401
/// before the upgrade without a valid token, for a live and an unknown session alike; expired and revoked tokens
/// are refused; a valid one streams; a foreign <c>Origin</c> gets 403.
/// </summary>
[Collection(SerialCollection.Name)]
public sealed class ViewLinkTests
{
    private const string Key = "links-key";
    private const string Unknown = "000000000000";

    [Fact]
    public async Task MediaSocket_WithoutToken_Is401BeforeTheUpgrade_ForLiveAndUnknownSessionsAlike()
    {
        await using var host = await StartAsync(null);
        var live = StartSession(host);
        using var http = new HttpClient();

        using var liveGet = await http.GetAsync(Media(host, live.Id));
        using var unknownGet = await http.GetAsync(Media(host, Unknown));
        Assert.Equal(HttpStatusCode.Unauthorized, liveGet.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, unknownGet.StatusCode);
        Assert.Equal(WithoutTraceId(await liveGet.Content.ReadAsStringAsync()), WithoutTraceId(await unknownGet.Content.ReadAsStringAsync()));
        Assert.Equal(HttpStatusCode.Unauthorized, await WebSocketProbe.StatusAsync(Media(host, live.Id)));
        Assert.Equal(HttpStatusCode.Unauthorized, await WebSocketProbe.StatusAsync(Media(host, Unknown)));
        Assert.Equal(HttpStatusCode.Unauthorized, await WebSocketProbe.StatusAsync(Media(host, live.Id, "token=forged")));
    }

    [Fact]
    public async Task MediaSocket_WithValidToken_StreamsMedia()
    {
        Require.Ffmpeg();
        var clip = await H264Clip.GetAsync(640, 360, 30, 4, 60);
        await using var host = await StartAsync(null);
        var session = StartSession(host);
        await using var sender = SyntheticSender.Start(session.Media, session.Clock, clip);
        var link = await CreateLinkAsync(host, $"/api/sessions/{session.Id}/view-links", new { expiresInMinutes = 5 });
        Assert.Equal($"{host.WebUrl.GetLeftPart(UriPartial.Authority)}/view/{session.Id}?token={link.Token}", link.Url);

        await using var client = await MediaSocketClient.ConnectAsync(host.WebUrl, session.Id, $"mode=mse&token={link.Token}");

        Assert.Equal("format", (await client.ReceiveAsync())?.Format.Type);
        Assert.Equal("ftyp", (await client.ReceiveAsync())?.FirstBoxType);
        Assert.Equal("moof", (await client.ReceiveMediaAsync()).FirstBoxType);
    }

    [Fact]
    public async Task Token_ForOneSession_DoesNotOpenAnother_NorThePinFeed()
    {
        await using var host = await StartAsync(null);
        var first = StartSession(host);
        var second = StartSession(host);
        var link = await CreateLinkAsync(host, $"/api/sessions/{first.Id}/view-links", null);
        using var http = new HttpClient();

        Assert.Equal(HttpStatusCode.SwitchingProtocols, await WebSocketProbe.StatusAsync(Media(host, first.Id, $"token={link.Token}")));
        Assert.Equal(HttpStatusCode.Forbidden, await WebSocketProbe.StatusAsync(Media(host, second.Id, $"token={link.Token}")));
        Assert.Equal(HttpStatusCode.Forbidden, await WebSocketProbe.StatusAsync(Media(host, Unknown, $"token={link.Token}")));
        Assert.Equal(HttpStatusCode.Forbidden, (await http.GetAsync(new Uri(host.WebUrl, $"{AccessApi.PinFeedPath}?token={link.Token}"))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await http.GetAsync(new Uri(host.WebUrl, $"/api/sessions?token={link.Token}"))).StatusCode);
    }

    [Fact]
    public async Task ReceiverWideToken_OpensAnySession_TheCurrentOne_AndThePinFeed()
    {
        await using var host = await StartAsync(null);
        var session = StartSession(host);
        var link = await CreateLinkAsync(host, "/api/view-links", null);
        Assert.Equal($"{host.WebUrl.GetLeftPart(UriPartial.Authority)}/view/?token={link.Token}", link.Url);
        using var http = new HttpClient();

        Assert.Equal(HttpStatusCode.SwitchingProtocols, await WebSocketProbe.StatusAsync(Media(host, session.Id, $"token={link.Token}")));
        Assert.Equal(HttpStatusCode.SwitchingProtocols, await WebSocketProbe.StatusAsync(Media(host, "current", $"token={link.Token}")));
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync(Media(host, Unknown, $"token={link.Token}"))).StatusCode);
        using var feed = await http.GetAsync(new Uri(host.WebUrl, $"{AccessApi.PinFeedPath}?token={link.Token}"), HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, feed.StatusCode);
    }

    [Fact]
    public async Task Token_StopsWorking_WhenItExpires()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var host = await StartAsync(clock);
        var session = StartSession(host);
        var link = await CreateLinkAsync(host, $"/api/sessions/{session.Id}/view-links", new { expiresInMinutes = 60 });
        Assert.Equal(clock.GetUtcNow().AddMinutes(60).ToUnixTimeSeconds(), link.ExpiresAt.ToUnixTimeSeconds());
        Assert.Equal(HttpStatusCode.SwitchingProtocols, await WebSocketProbe.StatusAsync(Media(host, session.Id, $"token={link.Token}")));

        clock.Advance(TimeSpan.FromMinutes(59));
        Assert.Equal(HttpStatusCode.SwitchingProtocols, await WebSocketProbe.StatusAsync(Media(host, session.Id, $"token={link.Token}")));
        clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(HttpStatusCode.Unauthorized, await WebSocketProbe.StatusAsync(Media(host, session.Id, $"token={link.Token}")));
    }

    [Fact]
    public async Task Tokens_AreRevokedAllAtOnce_AndStayRevokedAfterARestart()
    {
        await using var host = await StartAsync(null);
        var session = StartSession(host);
        var before = await CreateLinkAsync(host, $"/api/sessions/{session.Id}/view-links", null);
        var wide = await CreateLinkAsync(host, "/api/view-links", null);

        using var revoke = new HttpRequestMessage(HttpMethod.Delete, new Uri(host.WebUrl, "/api/view-links")) { Headers = { { ReceiverPolicies.ApiKeyHeader, Key } } };
        using var http = new HttpClient();
        Assert.Equal(HttpStatusCode.NoContent, (await http.SendAsync(revoke)).StatusCode);

        Assert.Equal(HttpStatusCode.Unauthorized, await WebSocketProbe.StatusAsync(Media(host, session.Id, $"token={before.Token}")));
        Assert.Equal(HttpStatusCode.Unauthorized, await WebSocketProbe.StatusAsync(Media(host, session.Id, $"token={wide.Token}")));
        var after = await CreateLinkAsync(host, $"/api/sessions/{session.Id}/view-links", null);
        Assert.Equal(HttpStatusCode.SwitchingProtocols, await WebSocketProbe.StatusAsync(Media(host, session.Id, $"token={after.Token}")));
        Assert.Equal("1", File.ReadAllText(Path.Combine(host.DataDirectory, ViewLinks.GenerationFileName)).Trim());
    }

    [Theory]
    [InlineData("http://evil.example", HttpStatusCode.Forbidden)]
    [InlineData("http://127.0.0.1:1", HttpStatusCode.Forbidden)]
    [InlineData("null", HttpStatusCode.Forbidden)]
    [InlineData("https://screens.example.org", HttpStatusCode.SwitchingProtocols)]
    public async Task MediaSocket_ChecksTheOrigin_BeforeTheUpgrade(string origin, HttpStatusCode expected)
    {
        await using var host = await StartAsync(null, "--Receiver:Web:AllowedOrigins:0=https://screens.example.org");
        var session = StartSession(host);
        var link = await CreateLinkAsync(host, $"/api/sessions/{session.Id}/view-links", null);

        Assert.Equal(expected, await WebSocketProbe.StatusAsync(Media(host, session.Id, $"token={link.Token}"), origin));
        Assert.Equal(HttpStatusCode.SwitchingProtocols,
            await WebSocketProbe.StatusAsync(Media(host, session.Id, $"token={link.Token}"), host.WebUrl.GetLeftPart(UriPartial.Authority)));
    }

    [Fact]
    public async Task Hub_RefusesAForeignOrigin()
    {
        await using var host = await StartAsync(null);
        var hub = new Uri(host.WebUrl, $"{SessionsHub.Path}?access_token={Key}");
        using var http = new HttpClient();
        using var negotiate = new HttpRequestMessage(HttpMethod.Post, new Uri(host.WebUrl, $"{SessionsHub.Path}/negotiate?negotiateVersion=1"))
        {
            Headers = { { ReceiverPolicies.ApiKeyHeader, Key }, { "Origin", "http://evil.example" } },
        };

        Assert.Equal(HttpStatusCode.Forbidden, (await http.SendAsync(negotiate)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, await WebSocketProbe.StatusAsync(hub, "http://evil.example"));
    }

    [Theory]
    [InlineData("open", null, HttpStatusCode.SwitchingProtocols)]
    [InlineData("admin", "session", HttpStatusCode.Forbidden)]
    [InlineData("link", null, HttpStatusCode.Unauthorized)]
    public async Task ViewerAccess_DecidesWhoMayWatch(string access, string? token, HttpStatusCode expected)
    {
        await using var host = await StartAsync(null, $"--Receiver:Viewer:Access={access}");
        var session = StartSession(host);
        var query = token is null ? null : $"token={(await CreateLinkAsync(host, $"/api/sessions/{session.Id}/view-links", null)).Token}";

        Assert.Equal(expected, await WebSocketProbe.StatusAsync(Media(host, session.Id, query)));
    }

    [Fact]
    public async Task CreatingLinks_NeedsAdmin_AndAKnownSession()
    {
        await using var host = await StartAsync(null);
        using var http = new HttpClient { BaseAddress = host.WebUrl };
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.PostAsync("/api/view-links", null)).StatusCode);

        http.DefaultRequestHeaders.Add(ReceiverPolicies.ApiKeyHeader, Key);
        Assert.Equal(HttpStatusCode.NotFound, (await http.PostAsync($"/api/sessions/{Unknown}/view-links", null)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await http.PostAsJsonAsync("/api/view-links", new { expiresInMinutes = 0 })).StatusCode);
        using var qr = await http.GetAsync("/api/qr.svg?text=" + Uri.EscapeDataString("http://receiver:8080/view/?token=abc"));
        Assert.Equal("image/svg+xml", qr.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<svg", await qr.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static async Task<ReceiverHost> StartAsync(FakeTimeProvider? clock, params string[] args) =>
        await ReceiverHost.StartAsync(
            clock is null ? null : services => services.AddSingleton<TimeProvider>(clock),
            ["--Receiver:Admin:TrustLoopback=false", $"--Receiver:Admin:ApiKey={Key}", .. args]);

    private static string WithoutTraceId(string body) => System.Text.RegularExpressions.Regex.Replace(body, "\"traceId\":\"[^\"]*\"", string.Empty);

    private static MirroringSession StartSession(ReceiverHost host) => host.Sessions.Start(
        new SenderInfo("AA:BB:CC:DD:EE:FF", "Test iPhone", "iPhone15,2", "iPhone OS", "17.4", "620.1", "127.0.0.1"), "airplay", IPAddress.Loopback);

    private static Uri Media(ReceiverHost host, string id, string? query = null) =>
        new UriBuilder(host.WebUrl) { Path = $"/ws/sessions/{id}/media", Query = query ?? string.Empty }.Uri;

    private static async Task<ViewLink> CreateLinkAsync(ReceiverHost host, string path, object? body)
    {
        using var http = new HttpClient { BaseAddress = host.WebUrl };
        http.DefaultRequestHeaders.Add(ReceiverPolicies.ApiKeyHeader, Key);
        using var response = body is null ? await http.PostAsync(path, null) : await http.PostAsJsonAsync(path, body);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<ViewLink>(JsonSerializerOptions.Web))!;
    }
}
