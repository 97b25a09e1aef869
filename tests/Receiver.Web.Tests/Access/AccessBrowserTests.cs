using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Receiver.Core.Access;
using Receiver.Web.Tests.Browser;
using Receiver.Web.Tests.Infrastructure;

namespace Receiver.Web.Tests.Access;

/// <summary>The operator's side of access in headless Chromium: the PIN overlay, approvals and trusted senders.</summary>
[Collection(ChromiumCollection.Name)]
public sealed class AccessBrowserTests(ChromiumFixture chromium)
{
    private static readonly IPEndPoint Phone = new(IPAddress.Parse("192.168.1.20"), 50123);

    [ChromiumFact]
    public async Task Dashboard_ShowsThePinWhileItIsPending()
    {
        await using var host = await ReceiverHost.StartAsync("--Receiver:Access:Mode=pin");
        var page = await OpenAsync(host, "/");
        await Assertions.Expect(page.Locator("#connection")).ToHaveTextAsync("connected");
        var overlay = page.Locator("#pin-overlay");
        await Assertions.Expect(overlay).ToBeHiddenAsync();
        var pins = host.App.Services.GetRequiredService<PinBoard>();

        var challenge = pins.Issue("Anna's iPhone", Phone);

        await Assertions.Expect(overlay).ToBeVisibleAsync();
        await Assertions.Expect(overlay.Locator("[data-role=pin]")).ToHaveTextAsync(challenge.Pin);
        await Assertions.Expect(overlay).ToContainTextAsync($"Enter {challenge.Pin} on Anna's iPhone");
        await Assertions.Expect(overlay.Locator("[data-role=expiry]")).ToContainTextAsync("Expires in 1:5");
        await ScreenshotAsync(page, "access-dashboard-pin");

        pins.Clear();
        await Assertions.Expect(overlay).ToBeHiddenAsync();

        // A dashboard opened while a PIN is pending shows it at once.
        var second = pins.Issue("Living-room iPad", Phone);
        var late = await OpenAsync(host, "/");
        await Assertions.Expect(late.Locator("#pin-overlay [data-role=pin]")).ToHaveTextAsync(second.Pin);
    }

    [ChromiumFact]
    public async Task Viewer_ShowsThePinWhileItIsPending()
    {
        await using var host = await ReceiverHost.StartAsync("--Receiver:Access:Mode=pin");
        var pins = host.App.Services.GetRequiredService<PinBoard>();
        var early = pins.Issue("Anna's iPhone", Phone);
        var page = await OpenAsync(host, "/view.html");
        var overlay = page.Locator("[data-role=pin-overlay]");
        await Assertions.Expect(overlay.Locator("[data-role=pin]")).ToHaveTextAsync(early.Pin);

        var challenge = pins.Issue("Living-room iPad", Phone);

        await Assertions.Expect(overlay.Locator("[data-role=pin]")).ToHaveTextAsync(challenge.Pin);
        await Assertions.Expect(overlay).ToContainTextAsync($"Enter {challenge.Pin} on Living-room iPad");
        await ScreenshotAsync(page, "access-viewer-pin");

        pins.Clear();
        await Assertions.Expect(overlay).ToBeHiddenAsync();
    }

    [ChromiumFact]
    public async Task Viewer_WithApiKey_ShowsThePinWithTheKey()
    {
        await using var host = await ReceiverHost.StartAsync("--Receiver:Access:Mode=pin", "--Receiver:Admin:ApiKey=screen-key", "--Receiver:Admin:TrustLoopback=false");
        var pins = host.App.Services.GetRequiredService<PinBoard>();
        var page = await OpenAsync(host, "/view.html?api_key=screen-key");

        var challenge = pins.Issue("Anna's iPhone", Phone);

        await Assertions.Expect(page.Locator("[data-role=pin-overlay] [data-role=pin]")).ToHaveTextAsync(challenge.Pin);
    }

    [ChromiumFact]
    public async Task Dashboard_PendingSender_AllowLetsItMirror()
    {
        await using var host = await ReceiverHost.StartAsync("--Receiver:Access:Mode=approve");
        var policy = host.App.Services.GetRequiredService<SenderAccessPolicy>();
        var page = await OpenAsync(host, "/");
        await Assertions.Expect(page.Locator("#connection")).ToHaveTextAsync("connected");

        var allowed = policy.RequestApprovalAsync("AA:BB:CC:DD:EE:01", "Living-room iPad", "iPad8,1", Phone, CancellationToken.None);
        var denied = policy.RequestApprovalAsync("AA:BB:CC:DD:EE:02", "Mallory's iPhone", "iPhone14,2", Phone, CancellationToken.None);

        var row = page.Locator("li.pending-sender", new() { HasText = "Living-room iPad" });
        await Assertions.Expect(row).ToContainTextAsync("Living-room iPad wants to mirror");
        await Assertions.Expect(page.Locator("li.pending-sender")).ToHaveCountAsync(2);
        await ScreenshotAsync(page, "access-dashboard-pending");

        await row.Locator("button.allow").ClickAsync();
        Assert.Equal(ApprovalDecision.Allowed, await allowed.WaitAsync(TimeSpan.FromSeconds(10)));
        await page.Locator("li.pending-sender", new() { HasText = "Mallory" }).Locator("button.deny").ClickAsync();
        Assert.Equal(ApprovalDecision.Denied, await denied.WaitAsync(TimeSpan.FromSeconds(10)));
        await Assertions.Expect(page.Locator("#pending")).ToBeHiddenAsync();
    }

    [ChromiumFact]
    public async Task Dashboard_TrustedSenders_RevokeForgetsOne()
    {
        await using var host = await ReceiverHost.StartAsync("--Receiver:Access:Mode=pin");
        var policy = host.App.Services.GetRequiredService<SenderAccessPolicy>();
        policy.Admit("AA:BB:CC:DD:EE:01", "Anna's iPhone", "iPhone14,2", new byte[32], TrustMethod.Pin, Phone.Address);
        var page = await OpenAsync(host, "/");
        var row = page.Locator("li.trusted-sender[data-device-id='AA:BB:CC:DD:EE:01']");
        await Assertions.Expect(row.Locator(".name")).ToHaveTextAsync("Anna's iPhone");

        policy.Admit("AA:BB:CC:DD:EE:02", "Living-room iPad", "iPad8,1", null, TrustMethod.Approval, Phone.Address);
        await Assertions.Expect(page.Locator("li.trusted-sender")).ToHaveCountAsync(2);
        await ScreenshotAsync(page, "access-dashboard-trusted");

        await row.Locator("button.revoke").ClickAsync();

        await Assertions.Expect(row).ToHaveCountAsync(0);
        Assert.Null(policy.Register.Find("AA:BB:CC:DD:EE:01"));
    }

    private async Task<IPage> OpenAsync(ReceiverHost host, string path)
    {
        var page = await chromium.NewPageAsync();
        var errors = new List<string>();
        page.PageError += (_, error) => errors.Add(error);
        var response = await page.GotoAsync(new Uri(host.WebUrl, path).ToString());
        Assert.True(response?.Ok, $"GET {path} returned {response?.Status}");
        Assert.Empty(errors);
        return page;
    }

    private static async Task ScreenshotAsync(IPage page, string name) =>
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ChromiumFixture.ScreenshotDirectory, name + ".png") });
}
