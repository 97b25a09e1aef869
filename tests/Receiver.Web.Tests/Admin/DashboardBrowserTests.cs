using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Receiver.Core.Sessions;
using Receiver.Web.Tests.Infrastructure;

namespace Receiver.Web.Tests.Admin;

/// <summary>The dashboard in headless Chromium against the real host.</summary>
[Collection(SerialCollection.Name)]
public sealed class DashboardBrowserTests : IAsyncLifetime
{
    private static readonly string[] ChromiumArgs =
    [
        "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync",
    ];

    private ReceiverHost _host = null!;
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public async Task InitializeAsync() => _host = await ReceiverHost.StartAsync();

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
        await _host.DisposeAsync();
    }

    [ChromiumFact]
    public async Task Dashboard_ShowsSessionsAppearAndDisappearLive()
    {
        var page = await OpenDashboardAsync();
        await Assertions.Expect(page.Locator("#empty")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#empty")).ToContainTextAsync("Waiting for a sender — choose “AirPlay Web Receiver” in Screen Mirroring");
        await Assertions.Expect(page.Locator("#connection")).ToHaveTextAsync("connected");
        await Assertions.Expect(page.Locator("#api-key-form")).ToBeHiddenAsync();
        await Assertions.Expect(page.Locator("#receiver-details")).ToContainTextAsync($"control port {_host.ControlPort}");
        var fingerprint = Receiver.Web.Hosting.Https.CertificateFingerprint.Sha256(
            _host.App.Services.GetRequiredService<Receiver.Web.Hosting.Https.HttpsCertificate>().Current!.Certificate);
        await Assertions.Expect(page.Locator("#receiver-https [data-role=fingerprint]")).ToHaveTextAsync(fingerprint);
        await Assertions.Expect(page.Locator("#receiver-https [data-role=url]")).ToHaveAttributeAsync("href", $"https://127.0.0.1:{_host.Endpoints.HttpsPort}/");

        var session = AdminSessions.Start(_host, "Anna's iPhone");
        var row = page.Locator($"li.session[data-session-id='{session.Id}']");
        await Assertions.Expect(row).ToBeVisibleAsync();
        await Assertions.Expect(row.Locator(".name")).ToHaveTextAsync("Anna's iPhone");
        await Assertions.Expect(row.Locator(".model")).ToHaveTextAsync("iPhone14,2");
        await Assertions.Expect(row.Locator("a.open")).ToHaveAttributeAsync("href", new System.Text.RegularExpressions.Regex($"^/view/{session.Id}\\?token=[A-Za-z0-9_-]+$"));
        await Assertions.Expect(page.Locator("#empty")).ToBeHiddenAsync();

        if (H264Clip.CanCreate)
        {
            var clip = await H264Clip.CreateAsync(640, 360, 90);
            clip.BeginVideo(_host, session);
            clip.Publish(session, 0, 30);
            await Assertions.Expect(row.Locator(".resolution")).ToHaveTextAsync("640×360");
            await Assertions.Expect(row.Locator("img.thumb")).ToHaveAttributeAsync("src", new System.Text.RegularExpressions.Regex("^blob:"));
        }

        _host.Sessions.End(session, SessionEndReason.Teardown);
        await Assertions.Expect(row).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("#empty")).ToBeVisibleAsync();
    }

    [ChromiumFact]
    public async Task DisconnectButton_KicksTheSession()
    {
        var session = AdminSessions.Start(_host, "Mac mini", "Macmini9,1");
        var page = await OpenDashboardAsync();
        var row = page.Locator($"li.session[data-session-id='{session.Id}']");
        await Assertions.Expect(row).ToBeVisibleAsync();

        await row.Locator("button.disconnect").ClickAsync();

        await Assertions.Expect(row).ToHaveCountAsync(0);
        Assert.True(session.Ended.IsCancellationRequested);
        Assert.Equal(SessionEndReason.Kicked, session.EndReason);
    }

    [ChromiumFact]
    public async Task ACast_IsShownWithItsTitleHostAndState_WithoutRecord_AndDisconnectStopsIt()
    {
        var page = await OpenDashboardAsync();
        await using var phone = await Receiver.Sender.Casting.CastClient.ConnectAsync("127.0.0.1", _host.ControlPort, CancellationToken.None);
        Assert.Equal(200, (await phone.PlayAsync(new Uri("http://192.168.1.20/movie.mp4"), 0, "Big Movie", CancellationToken.None)).StatusCode);
        var session = _host.Sessions.Sessions.Single();
        var row = page.Locator($"li.session[data-session-id='{session.Id}']");
        await Assertions.Expect(row).ToHaveAttributeAsync("data-kind", "video");
        await Assertions.Expect(row.Locator(".resolution")).ToHaveTextAsync("Big Movie: video from 192.168.1.20, loading");
        await Assertions.Expect(row.Locator("button.record")).ToBeHiddenAsync();

        // A state change reaches the row through the hub.
        session.Cast!.Fail("the video could not be downloaded");
        await Assertions.Expect(row.Locator(".resolution")).ToHaveTextAsync("Big Movie: video from 192.168.1.20, failed: the video could not be downloaded");

        await row.Locator("button.disconnect").ClickAsync();
        await Assertions.Expect(row).ToHaveCountAsync(0);
        Assert.Equal(SessionEndReason.Kicked, session.EndReason);
        Assert.False((await phone.PlaybackInfoAsync(CancellationToken.None)).ReadyToPlay);
    }

    [ChromiumFact]
    public async Task RecordButton_RecordsTheSession_FileIsListedDownloadedAndDeleted()
    {
        Assert.True(H264Clip.CanCreate, "ffmpeg is needed to make the test video");
        var clip = await H264Clip.CreateAsync(640, 360, 90);
        var session = AdminSessions.Start(_host, "Anna's iPhone");
        clip.BeginVideo(_host, session);
        clip.Publish(session, 0, 30);
        var page = await OpenDashboardAsync();
        var row = page.Locator($"li.session[data-session-id='{session.Id}']");
        var record = row.Locator("button.record");
        await Assertions.Expect(record).ToHaveTextAsync("Record");
        await Assertions.Expect(page.Locator("#recordings")).ToBeHiddenAsync();

        await record.ClickAsync();

        await Assertions.Expect(record).ToHaveTextAsync("Stop recording");
        await Assertions.Expect(row).ToHaveAttributeAsync("data-recording", "true");
        var file = page.Locator("#recording-files li.recording");
        await Assertions.Expect(file).ToHaveCountAsync(1);
        await Assertions.Expect(file).ToContainTextAsync("recording");
        await Assertions.Expect(file.Locator("button.delete")).ToBeDisabledAsync();

        clip.Publish(session, 30, 30);
        await record.ClickAsync();

        await Assertions.Expect(record).ToHaveTextAsync("Record");
        await Assertions.Expect(row).ToHaveAttributeAsync("data-recording", "false");
        await Assertions.Expect(file.Locator("button.delete")).ToBeEnabledAsync();
        var name = await file.GetAttributeAsync("data-name");
        Assert.StartsWith(session.Id + "-", name, StringComparison.Ordinal);

        // The browser saves exactly the file the API serves.
        var download = await page.RunAndWaitForDownloadAsync(() => file.Locator("button.download").ClickAsync());
        Assert.Equal(name, download.SuggestedFilename);
        using var http = new HttpClient { BaseAddress = _host.WebUrl };
        var served = await http.GetByteArrayAsync($"/api/recordings/{name}");
        Assert.Equal(served, await File.ReadAllBytesAsync((await download.PathAsync())!));
        Assert.True(served.Length > 10_000, $"{served.Length} bytes");

        await file.Locator("button.delete").ClickAsync();
        await Assertions.Expect(page.Locator("#recordings")).ToBeHiddenAsync();
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await http.GetAsync($"/api/recordings/{name}")).StatusCode);
    }

    [ChromiumFact]
    public async Task WithApiKey_AsksForItThenShowsSessions()
    {
        await using var keyed = await ReceiverHost.StartAsync("--Receiver:Admin:ApiKey=dashboard-key", "--Receiver:Admin:TrustLoopback=false");
        var session = AdminSessions.Start(keyed, "Anna's iPhone");
        var page = await OpenDashboardAsync(keyed);
        await Assertions.Expect(page.Locator("#api-key-form")).ToBeVisibleAsync();

        await page.Locator("#api-key").FillAsync("dashboard-key");
        await page.Locator("#api-key-form button").ClickAsync();

        await Assertions.Expect(page.Locator($"li.session[data-session-id='{session.Id}'] .name")).ToHaveTextAsync("Anna's iPhone");
        await Assertions.Expect(page.Locator("#connection")).ToHaveTextAsync("connected");
        await Assertions.Expect(page.Locator("#api-key-form")).ToBeHiddenAsync();
    }

    private Task<IPage> OpenDashboardAsync() => OpenDashboardAsync(_host);

    private async Task<IPage> OpenDashboardAsync(ReceiverHost host)
    {
        _playwright ??= await Playwright.CreateAsync();
        _browser ??= await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumFactAttribute.ExecutablePath,
            Headless = true,
            Args = ChromiumArgs,
        });
        var page = await _browser.NewPageAsync();
        var errors = new List<string>();
        page.PageError += (_, error) => errors.Add(error);
        var response = await page.GotoAsync(host.WebUrl.ToString());
        Assert.True(response?.Ok, $"GET / returned {response?.Status}");
        Assert.Empty(errors);
        return page;
    }
}
