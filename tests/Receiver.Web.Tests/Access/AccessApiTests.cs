using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Receiver.Core.Access;
using Receiver.Web.Access;
using Receiver.Web.Tests.Infrastructure;

namespace Receiver.Web.Tests.Access;

/// <summary>The access endpoints of the admin API, driven through the Core types the host holds.</summary>
public sealed class AccessApiTests : HostedApiTest
{
    private static readonly IPEndPoint Phone = new(IPAddress.Parse("192.168.1.20"), 50123);

    private SenderRegister Register => Host.App.Services.GetRequiredService<SenderRegister>();

    private PinBoard Pins => Host.App.Services.GetRequiredService<PinBoard>();

    private ApprovalQueue Approvals => Host.App.Services.GetRequiredService<ApprovalQueue>();

    [Fact]
    public async Task Senders_ListsTheRegister_AndRevokeForgetsOne()
    {
        Assert.Empty((await Http.GetFromJsonAsync<TrustedSenderInfo[]>("/api/senders", Json))!);
        var now = DateTimeOffset.UtcNow;
        Register.Trust(new TrustedSender("AA:BB:CC:DD:EE:01", "Anna's iPhone", "iPhone14,2", [1, 2, 255], now, TrustMethod.Pin, now));
        Register.Trust(new TrustedSender("AA:BB:CC:DD:EE:02", "Living-room iPad", null, null, now.AddSeconds(1), TrustMethod.Approval, now));

        var senders = (await Http.GetFromJsonAsync<TrustedSenderInfo[]>("/api/senders", Json))!;

        Assert.Equal(2, senders.Length);
        Assert.Equal(new TrustedSenderInfo("AA:BB:CC:DD:EE:01", "Anna's iPhone", "iPhone14,2", "0102ff", "pin", now, now), senders[0]);
        Assert.Equal(("Living-room iPad", "approval", null), (senders[1].Name, senders[1].Method, senders[1].PublicKey));

        Assert.Equal(HttpStatusCode.NoContent, (await Http.DeleteAsync("/api/senders/aa:bb:cc:dd:ee:01")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Http.DeleteAsync("/api/senders/AA:BB:CC:DD:EE:01")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Http.DeleteAsync("/api/senders/nonsense")).StatusCode);
        Assert.Null(Register.Find("AA:BB:CC:DD:EE:01"));
        Assert.Single((await Http.GetFromJsonAsync<TrustedSenderInfo[]>("/api/senders", Json))!);
    }

    [Fact]
    public async Task Pin_IsServedWhileShown()
    {
        Assert.Equal(HttpStatusCode.NotFound, (await Http.GetAsync("/api/access/pin")).StatusCode);

        var challenge = Pins.Issue("Anna's iPhone", Phone);
        using var response = await Http.GetAsync("/api/access/pin");
        response.EnsureSuccessStatusCode();
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        var pin = (await response.Content.ReadFromJsonAsync<PinOverlayMessage>(Json))!;
        Assert.Equal(new PinOverlayMessage(challenge.Pin, "Anna's iPhone", challenge.ExpiresAt), pin);
        Assert.Matches("^[0-9]{4}$", pin.Pin);
        Assert.Contains("\"pin\":", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        Pins.Clear();
        Assert.Equal(HttpStatusCode.NotFound, (await Http.GetAsync("/api/access/pin")).StatusCode);
    }

    [Fact]
    public async Task Pending_ListsRequests_AndAllowDenyResolveThem()
    {
        Assert.Empty((await Http.GetFromJsonAsync<PendingSenderInfo[]>("/api/senders/pending", Json))!);
        var first = Approvals.RequestAsync(Request("r1", "AA:BB:CC:DD:EE:01"), TimeSpan.FromMinutes(1), CancellationToken.None);
        var second = Approvals.RequestAsync(Request("r2", "AA:BB:CC:DD:EE:02"), TimeSpan.FromMinutes(1), CancellationToken.None);

        var pending = (await Http.GetFromJsonAsync<PendingSenderInfo[]>("/api/senders/pending", Json))!;
        Assert.Equal(["r1", "r2"], pending.Select(p => p.RequestId));
        Assert.Equal(("AA:BB:CC:DD:EE:01", "Living-room iPad", "iPad8,1", "192.168.1.20"), (pending[0].DeviceId, pending[0].Name, pending[0].Model, pending[0].Address));

        Assert.Equal(HttpStatusCode.NoContent, (await Http.PostAsync("/api/senders/pending/r1/allow", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await Http.PostAsync("/api/senders/pending/r2/deny", null)).StatusCode);
        Assert.Equal(ApprovalDecision.Allowed, await first);
        Assert.Equal(ApprovalDecision.Denied, await second);

        Assert.Equal(HttpStatusCode.NotFound, (await Http.PostAsync("/api/senders/pending/r1/allow", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Http.PostAsync("/api/senders/pending/unknown/deny", null)).StatusCode);
        Assert.Empty((await Http.GetFromJsonAsync<PendingSenderInfo[]>("/api/senders/pending", Json))!);
    }

    [Fact]
    public async Task OpenApi_DescribesTheAccessEndpoints()
    {
        var document = await Http.GetStringAsync("/openapi/v1.json");
        foreach (var operation in new[] { "ListSenders", "RevokeSender", "ListPendingSenders", "AllowPendingSender", "DenyPendingSender", "GetPin", "ListenPin" })
        {
            Assert.Contains($"\"operationId\": \"{operation}\"", document, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task WithApiKey_AccessEndpointsNeedIt()
    {
        await using var keyed = await ReceiverHost.StartAsync("--Receiver:Admin:ApiKey=k3y", "--Receiver:Admin:TrustLoopback=false");
        using var http = new HttpClient { BaseAddress = keyed.WebUrl };
        foreach (var path in new[] { "/api/senders", "/api/senders/pending", "/api/access/pin", AccessApi.PinFeedPath })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync(path)).StatusCode);
        }

        Assert.Equal(HttpStatusCode.Unauthorized, (await http.DeleteAsync("/api/senders/AA:BB:CC:DD:EE:01")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.PostAsync("/api/senders/pending/r1/allow", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("/api/senders?api_key=k3y")).StatusCode);

        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/senders");
        request.Headers.Add("X-Api-Key", "k3y");
        Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(request)).StatusCode);
        using var feed = await http.GetAsync($"{AccessApi.PinFeedPath}?api_key=k3y", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, feed.StatusCode);
    }

    private static ApprovalRequest Request(string id, string deviceId) =>
        new(id, deviceId, "Living-room iPad", "iPad8,1", Phone, DateTimeOffset.UtcNow);
}
