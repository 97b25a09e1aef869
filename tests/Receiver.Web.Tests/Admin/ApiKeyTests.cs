using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;
using Receiver.Web.Api;
using Receiver.Web.Security;
using Receiver.Web.Hubs;
using Receiver.Web.Tests.Infrastructure;

namespace Receiver.Web.Tests.Admin;

public sealed class ApiKeyTests : IAsyncLifetime, IDisposable
{
    private const string Key = "s3cret-admin-key";
    private ReceiverHost _host = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        // Loopback is admin by default; without that trust it is any address on the network.
        _host = await ReceiverHost.StartAsync($"--Receiver:Admin:ApiKey={Key}", "--Receiver:Admin:TrustLoopback=false");
        _http = new HttpClient { BaseAddress = _host.WebUrl };
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    public void Dispose() => _http.Dispose();

    [Theory]
    [InlineData("/api/receiver")]
    [InlineData("/api/sessions")]
    [InlineData("/api/sessions/0123456789ab")]
    public async Task AdminCall_WithoutKey_Returns401Problem(string path)
    {
        using var response = await _http.GetAsync(path);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(401, problem.GetProperty("status").GetInt32());
    }

    [Theory]
    [InlineData("video/*")]
    [InlineData("image/avif,image/webp")]
    public async Task AdminCall_AcceptingNoJson_Returns401InPlainText(string accept)
    {
        // A media element or an image asks for no JSON; the refusal must still be a 401, not a server error.
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/sessions");
        request.Headers.TryAddWithoutValidation("Accept", accept);

        using var response = await _http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.StartsWith("Sign-in required", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AdminCall_WithWrongKey_Returns401()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/sessions");
        request.Headers.Add(ReceiverPolicies.ApiKeyHeader, "wrong");

        using var response = await _http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task AdminCall_WithKey_Returns200()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/receiver");
        request.Headers.Add(ReceiverPolicies.ApiKeyHeader, Key);

        using var response = await _http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("/healthz")]
    [InlineData("/readyz")]
    [InlineData("/")]
    [InlineData("/view/0123456789ab")]
    [InlineData("/js/player/main.js")]
    public async Task PublicEndpoints_NeedNoKey(string path)
    {
        using var response = await _http.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Hub_WithoutKey_IsRefused()
    {
        var connection = new HubConnectionBuilder().WithUrl(new Uri(_host.WebUrl, SessionsHub.Path)).Build();
        await using (connection)
        {
            var error = await Assert.ThrowsAsync<HttpRequestException>(() => connection.StartAsync());
            Assert.Equal(HttpStatusCode.Unauthorized, error.StatusCode);
        }
    }

    [Fact]
    public async Task Hub_WithHeaderKey_ReceivesSnapshot()
    {
        await using var client = await HubClient.ConnectAsync(_host.WebUrl, Key);

        Assert.NotNull(await client.WaitForAsync(nameof(ISessionsClient.Snapshot)));
    }

    [Fact]
    public async Task Hub_WithAccessTokenAsBrowsersSendIt_ReceivesSnapshot()
    {
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(_host.WebUrl, SessionsHub.Path), options => options.AccessTokenProvider = () => Task.FromResult<string?>(Key))
            .Build();
        await using (connection)
        {
            var snapshot = new TaskCompletionSource<int>();
            connection.On<SessionSummary[]>(nameof(ISessionsClient.Snapshot), s => snapshot.TrySetResult(s.Length));
            await connection.StartAsync();

            Assert.Equal(0, await snapshot.Task.WaitAsync(TimeSpan.FromSeconds(10)));
        }
    }

    [Fact]
    public async Task Hub_WithQueryKey_Connects()
    {
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(_host.WebUrl, SessionsHub.Path + "?api_key=" + Uri.EscapeDataString(Key)))
            .Build();
        await using (connection)
        {
            await connection.StartAsync();

            Assert.Equal(HubConnectionState.Connected, connection.State);
        }
    }
}
