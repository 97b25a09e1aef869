using System.Collections;
using System.Diagnostics;
using Microsoft.Playwright;
using Receiver.Web.Tests.Browser;

namespace Receiver.Web.Tests.Https;

/// <summary>
/// A headless Chromium that runs inside a <see cref="NamespaceAddress"/> namespace with a profile of its own whose NSS
/// database (<c>$HOME/.pki/nssdb</c>) trusts one server certificate, as a user who trusted the receiver's certificate has.
/// </summary>
internal sealed class TrustingChromium : IAsyncDisposable
{
    private readonly DirectoryInfo _home;
    private readonly IPlaywright _playwright;
    private readonly IBrowser _browser;

    private TrustingChromium(DirectoryInfo home, IPlaywright playwright, IBrowser browser)
    {
        _home = home;
        _playwright = playwright;
        _browser = browser;
    }

    /// <summary>Launches Chromium in <paramref name="space"/>, trusting the PEM certificate <paramref name="certificatePath"/> (NSS trust flags <c>P,,</c>: a trusted server certificate).</summary>
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public static async Task<TrustingChromium> LaunchAsync(NamespaceAddress space, string certificatePath)
    {
        var home = Directory.CreateTempSubdirectory("airplay-chromium-home-");
        var nssdb = Directory.CreateDirectory(Path.Combine(home.FullName, ".pki", "nssdb"));
        await CertUtilAsync("-d", $"sql:{nssdb.FullName}", "-N", "--empty-password");
        await CertUtilAsync("-d", $"sql:{nssdb.FullName}", "-A", "-t", "P,,", "-n", "airplay-web-receiver", "-i", certificatePath);

        var environment = Environment.GetEnvironmentVariables().Cast<DictionaryEntry>()
            .ToDictionary(e => (string)e.Key, e => (string?)e.Value ?? string.Empty, StringComparer.Ordinal);
        environment["HOME"] = home.FullName;
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = space.WrapperScript(home.FullName, ChromiumFixture.ExecutablePath),
            Headless = true,
            Env = environment,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--autoplay-policy=no-user-gesture-required"],
        });
        return new TrustingChromium(home, playwright, browser);
    }

    public async Task<IPage> NewPageAsync()
    {
        var context = await _browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 960, Height = 540 } });
        return await context.NewPageAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
        _home.Delete(recursive: true);
    }

    private static async Task CertUtilAsync(params string[] arguments)
    {
        var info = new ProcessStartInfo("certutil") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException("certutil did not start");
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"certutil {string.Join(' ', arguments)}: {error}");
    }
}
