using Microsoft.Playwright;
using Receiver.Core.Sessions;
using Receiver.Web.Tests.Browser;
using Receiver.Web.Tests.Infrastructure;

namespace Receiver.Web.Tests.ModernSenders;

/// <summary>The dashboard tells the operator what a sender asked for and did not get (the hub's SenderNotice).</summary>
[Collection(ChromiumCollection.Name)]
public sealed class SenderNoticeBrowserTests(ChromiumFixture chromium)
{
    [ChromiumFact]
    public async Task Dashboard_ShowsTheNoticeOfARefusedRequest()
    {
        await using var host = await ReceiverHost.StartAsync();
        var page = await chromium.NewPageAsync();
        var errors = new List<string>();
        page.PageError += (_, error) => errors.Add(error);
        await page.GotoAsync(host.WebUrl.ToString());
        await Assertions.Expect(page.Locator("#connection")).ToHaveTextAsync("connected");
        var notice = page.Locator("#refused");
        await Assertions.Expect(notice).ToBeHiddenAsync();

        host.Sessions.Publish(new SenderNoticeEvent(string.Empty, DateTimeOffset.UtcNow, SenderNoticeKind.ProtectedContent, "192.0.2.7:50123", "0xaabbccddeeff",
            "protected content: the sender asked for FairPlay v2 (fp-setup2, version byte 2); only screen-mirroring FairPlay v3 is served, answered 421"));

        await Assertions.Expect(notice).ToBeVisibleAsync();
        await Assertions.Expect(notice).ToContainTextAsync("0xaabbccddeeff: protected content: the sender asked for FairPlay v2");
        Assert.Empty(errors);
    }
}
