using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Receiver.Core.Sessions;
using Receiver.Web.Security;
using Receiver.Web.Tests.Browser;
using Receiver.Web.Tests.Infrastructure;
using Receiver.Web.Tests.Viewer;

namespace Receiver.Web.Tests.Security;

/// <summary>The pages in Chromium when the browser is not trusted (loopback with <c>TrustLoopback=false</c>), and under the Content-Security-Policy.</summary>
[Collection(ChromiumCollection.Name)]
public sealed class SecureBrowserTests(ChromiumFixture chromium)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    [ChromiumFact]
    public async Task Viewer_WithAViewingLink_PlaysFromAnUntrustedAddress_WithoutCspViolations()
    {
        Require.Ffmpeg();
        await using var live = await LiveSession.StartAsync(await H264Clip.GetAsync(640, 360, 30, 4, 60), "--Receiver:Admin:TrustLoopback=false");
        var (token, _) = live.Host.App.Services.GetRequiredService<ViewLinks>().Create(live.Id, TimeSpan.FromMinutes(5));
        var (page, violations) = await OpenAsync();

        await page.GotoAsync(live.ViewUrl($"mode=mse&token={token}").ToString());

        var viewer = new ViewerPage(page);
        var playing = await viewer.WaitAsync(s => s.FramesPresented > 5, Patience, "token-viewer");
        Assert.Equal("playing", playing.State);
        Assert.Empty(violations);
    }

    [ChromiumFact]
    public async Task RoomDisplay_WithAReceiverWideLink_ShowsWhateverIsMirrored_AndTheNextSessionAfterIt()
    {
        Require.Ffmpeg();
        var clip = await H264Clip.GetAsync(640, 360, 30, 4, 60);
        await using var live = await LiveSession.StartAsync(clip, "--Receiver:Admin:TrustLoopback=false");
        var (token, _) = live.Host.App.Services.GetRequiredService<ViewLinks>().Create(ReceiverPolicies.AnySession, TimeSpan.FromMinutes(5));
        var (page, violations) = await OpenAsync();

        await page.GotoAsync(new Uri(live.Host.WebUrl, $"/view/?mode=mse&token={token}").ToString());
        var viewer = new ViewerPage(page);
        await viewer.WaitAsync(s => s.FramesPresented > 5, Patience, "room-first-session");

        live.End();
        var next = live.Host.Sessions.Start(
            new SenderInfo("AA:BB:CC:DD:EE:02", "Ben's iPad", "iPad13,1", "iPhone OS", "17.4", "620.1", "127.0.0.1"), "airplay", System.Net.IPAddress.Loopback);
        await using var sender = SyntheticSender.Start(next.Media, next.Clock, clip);
        await viewer.WaitAsync(s => s.State == "playing" && next.Media.ViewerCount == 1, Patience, "room-next-session");
        Assert.Empty(violations);
    }

    [ChromiumFact]
    public async Task Viewer_WithARevokedLink_SaysSo()
    {
        await using var live = await LiveSession.StartAsync(null, "--Receiver:Admin:TrustLoopback=false");
        var links = live.Host.App.Services.GetRequiredService<ViewLinks>();
        var (token, _) = links.Create(live.Id, TimeSpan.FromMinutes(5));
        links.RevokeAll();
        var (page, _) = await OpenAsync();

        await page.GotoAsync(live.ViewUrl($"token={token}").ToString());

        await Assertions.Expect(page.Locator("[data-role=message]")).ToContainTextAsync("not valid");
        Assert.Equal("refused", await page.EvaluateAsync<string>("() => document.body.dataset.state"));
    }

    [ChromiumFact]
    public async Task Dashboard_SignInLink_SignsIn_AndForgetsTheTokenInTheAddressBar()
    {
        await using var host = await ReceiverHost.StartAsync("--Receiver:Admin:TrustLoopback=false");
        var token = host.App.Services.GetRequiredService<AdminCredentials>().EnsureToken(rotate: true);
        var (page, violations) = await OpenAsync();

        await page.GotoAsync(new Uri(host.WebUrl, $"/?token={token}").ToString());

        await Assertions.Expect(page.Locator("#connection")).ToHaveTextAsync("connected");
        await Assertions.Expect(page.Locator("#api-key-form")).ToBeHiddenAsync();
        Assert.DoesNotContain("token", page.Url, StringComparison.Ordinal);
        Assert.Empty(violations);
    }

    [ChromiumFact]
    public async Task Dashboard_WithoutCredentials_ShowsTheSignInForm_ThenSignsInWithThePassword()
    {
        await using var host = await ReceiverHost.StartAsync("--Receiver:Admin:TrustLoopback=false", "--Receiver:Admin:Password=open sesame");
        var (page, _) = await OpenAsync();
        await page.GotoAsync(host.WebUrl.ToString());
        await Assertions.Expect(page.Locator("#api-key-form")).ToBeVisibleAsync();

        await page.Locator("#api-key").FillAsync("wrong");
        await page.Locator("#api-key-form button").ClickAsync();
        await Assertions.Expect(page.Locator("#sign-in-error")).ToHaveTextAsync("Wrong password or key.");
        await page.Locator("#api-key").FillAsync("open sesame");
        await page.Locator("#api-key-form button").ClickAsync();

        await Assertions.Expect(page.Locator("#connection")).ToHaveTextAsync("connected");
        await Assertions.Expect(page.Locator("#api-key-form")).ToBeHiddenAsync();
    }

    [ChromiumFact]
    public async Task Dashboard_Share_ShowsALinkWithItsQrCode()
    {
        await using var host = await ReceiverHost.StartAsync();
        var session = host.Sessions.Start(
            new SenderInfo("AA:BB:CC:DD:EE:01", "Anna's iPhone", "iPhone14,2", "iPhone OS", "17.4", "620.1", "127.0.0.1"), "airplay", System.Net.IPAddress.Loopback);
        var (page, violations) = await OpenAsync();
        await page.GotoAsync(host.WebUrl.ToString());

        await page.Locator($"li.session[data-session-id='{session.Id}'] button.share").ClickAsync();

        var dialog = page.Locator("#share-dialog");
        await Assertions.Expect(dialog).ToBeVisibleAsync();
        await Assertions.Expect(dialog.Locator(".url")).ToHaveValueAsync(new System.Text.RegularExpressions.Regex($"/view/{session.Id}\\?token=[A-Za-z0-9_-]+$"));
        await Assertions.Expect(dialog.Locator(".qr")).ToHaveAttributeAsync("src", new System.Text.RegularExpressions.Regex("^blob:"));
        Assert.True(await dialog.Locator(".qr").EvaluateAsync<bool>("img => img.complete && img.naturalWidth > 0"));
        Assert.Empty(violations);
    }

    private async Task<(IPage Page, List<string> Violations)> OpenAsync()
    {
        if (chromium.MissingReason is { } reason)
        {
            throw new InvalidOperationException(reason);
        }

        var page = await chromium.NewPageAsync();
        var violations = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase))
            {
                violations.Add(message.Text);
            }
        };
        return (page, violations);
    }
}
