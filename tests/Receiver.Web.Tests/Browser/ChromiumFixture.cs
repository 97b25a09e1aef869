using Microsoft.Playwright;

namespace Receiver.Web.Tests.Browser;

/// <summary>
/// One headless Chromium (the system's /usr/bin/chromium, software decoding) shared by the browser tests.
/// When Chromium is missing, <see cref="MissingReason"/> says so and the tests stop with that reason.
/// </summary>
public sealed class ChromiumFixture : IAsyncLifetime
{
    public const string ExecutablePath = "/usr/bin/chromium";

    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public static string ScreenshotDirectory { get; } = Path.Combine(TestPaths.RepositoryRoot, "tests", "Receiver.Web.Tests", "TestResults", "screenshots");

    /// <summary>Why browser tests cannot run here, or null.</summary>
    public static string? MissingChromium => File.Exists(ExecutablePath) ? null : $"{ExecutablePath} is not installed (./test.sh installs it)";

    public string? MissingReason => MissingChromium;

    public IBrowser Browser => _browser ?? throw new InvalidOperationException(MissingReason ?? "Chromium did not start");

    public async Task InitializeAsync()
    {
        if (MissingReason is not null)
        {
            return;
        }

        Directory.CreateDirectory(ScreenshotDirectory);
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            Args =
            [
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--autoplay-policy=no-user-gesture-required",
                // WebRTC tests run Janus on loopback: let the PeerConnection use 127.0.0.1.
                "--allow-loopback-in-peer-connection",
            ],
        });
    }

    /// <summary>A new page in a fresh context (its own empty profile).</summary>
    public async Task<IPage> NewPageAsync()
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 960, Height = 540 } });
        return await context.NewPageAsync();
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
    }
}
