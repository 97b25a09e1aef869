using System.Text.Json;
using Microsoft.Playwright;
using Receiver.Sender.Sessions;
using Receiver.Web.Tests.Admin;
using Receiver.Web.Tests.Infrastructure;
using Receiver.Web.Tests.Sender;

namespace Receiver.Web.Tests.Diagnostics;

/// <summary>The dashboard's "Capture protocol" button in headless Chromium, on a session of the sender simulator.</summary>
[Collection(SerialCollection.Name)]
public sealed class CaptureButtonBrowserTests : IAsyncLifetime
{
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
    public async Task CaptureButton_StartsTheCapture_ThenDownloadsIt()
    {
        var running = new AirPlaySenderSession(SenderTestMedia.LiveAudioOptions(_host.ControlPort, 6)).RunAsync(CancellationToken.None);
        await Eventually.TrueAsync(() => _host.Sessions.Sessions.Any(s => s.FramesReceived > 5));
        var id = _host.Sessions.Sessions.Single().Id;

        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumFactAttribute.ExecutablePath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
        var page = await _browser.NewPageAsync();
        var errors = new List<string>();
        page.PageError += (_, error) => errors.Add(error);
        await page.GotoAsync(_host.WebUrl.ToString());
        var capture = page.Locator($"li.session[data-session-id='{id}'] button.capture");
        await Assertions.Expect(capture).ToHaveTextAsync("Capture protocol");

        await capture.ClickAsync();

        await Assertions.Expect(capture).ToHaveTextAsync("Download capture");
        await Assertions.Expect(capture).ToHaveAttributeAsync("aria-pressed", "true");
        await Task.Delay(500);
        var download = await page.RunAndWaitForDownloadAsync(() => capture.ClickAsync());
        Assert.Equal($"capture-{id}.json", download.SuggestedFilename);
        using var document = JsonDocument.Parse(await File.ReadAllBytesAsync((await download.PathAsync())!));
        Assert.Equal(id, document.RootElement.GetProperty("session").GetProperty("id").GetString());
        Assert.Contains(document.RootElement.GetProperty("control").EnumerateArray(), e => e.GetProperty("request").GetProperty("method").GetString() == "SETUP");
        Assert.Contains(document.RootElement.GetProperty("packets").EnumerateArray(), p => p.GetProperty("stream").GetString() == "mirror");
        Assert.Empty(errors);
        Assert.True((await running).Ok);
    }
}
