using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Receiver.Core.Access;
using Receiver.Web.Hubs;
using Receiver.Web.Tests.Admin;
using Receiver.Web.Tests.Infrastructure;

namespace Receiver.Web.Tests.Access;

/// <summary>The access events of Receiver.Core reach SignalR clients of the sessions hub.</summary>
public sealed class AccessHubTests : HostedApiTest
{
    private static readonly IPEndPoint Phone = new(IPAddress.Parse("192.168.1.20"), 50123);

    [Fact]
    public async Task PinRequestedThenCleared_ReachTheHubInOrder()
    {
        await using var client = await HubClient.ConnectAsync(Host.WebUrl);
        await client.WaitForAsync(nameof(ISessionsClient.Snapshot));
        var pins = Host.App.Services.GetRequiredService<PinBoard>();

        var challenge = pins.Issue("Anna's iPhone", Phone);
        pins.Clear();

        var requested = await client.WaitForAsync(nameof(ISessionsClient.PinRequested));
        Assert.Equal(["Anna's iPhone", challenge.Pin, challenge.ExpiresAt], requested);
        await client.WaitForAsync(nameof(ISessionsClient.PinCleared));
    }

    [Fact]
    public async Task ApprovalRequestedAndResolved_ReachTheHub()
    {
        await using var client = await HubClient.ConnectAsync(Host.WebUrl);
        await client.WaitForAsync(nameof(ISessionsClient.Snapshot));
        var policy = Host.App.Services.GetRequiredService<SenderAccessPolicy>();

        var wait = policy.RequestApprovalAsync("aa:bb:cc:dd:ee:01", "Living-room iPad", "iPad8,1", Phone, CancellationToken.None);

        var requested = await client.WaitForAsync(nameof(ISessionsClient.SenderApprovalRequested));
        var requestId = (string)requested[0]!;
        Assert.Equal([requestId, "AA:BB:CC:DD:EE:01", "Living-room iPad", "iPad8,1"], requested);
        Assert.Equal(HttpStatusCode.NoContent, (await Http.PostAsync($"/api/senders/pending/{requestId}/deny", null)).StatusCode);
        Assert.Equal([requestId, "denied"], await client.WaitForAsync(nameof(ISessionsClient.SenderApprovalResolved)));
        Assert.Equal(ApprovalDecision.Denied, await wait);
    }

    [Fact]
    public async Task RefusedAndRegisterChanges_ReachTheHub()
    {
        await using var client = await HubClient.ConnectAsync(Host.WebUrl);
        await client.WaitForAsync(nameof(ISessionsClient.Snapshot));
        var policy = Host.App.Services.GetRequiredService<SenderAccessPolicy>();

        policy.Refuse("aa:bb:cc:dd:ee:09", "Mallory's iPhone", RefusalReason.WrongPin, Phone.Address);
        Assert.Equal(["AA:BB:CC:DD:EE:09", "Mallory's iPhone", "wrongPin"], await client.WaitForAsync(nameof(ISessionsClient.SenderRefused)));

        policy.Admit("AA:BB:CC:DD:EE:01", "Anna's iPhone", null, null, TrustMethod.Approval, Phone.Address);
        await client.WaitForAsync(nameof(ISessionsClient.SendersChanged));
        Assert.Equal(HttpStatusCode.NoContent, (await Http.DeleteAsync("/api/senders/AA:BB:CC:DD:EE:01")).StatusCode);
        await client.WaitForAsync(nameof(ISessionsClient.SendersChanged));
    }
}
