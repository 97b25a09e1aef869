using System.Text.Json;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Receiver.Sender.Sessions;
using Receiver.Sender.Video;
using Receiver.Web.Hosting.Https;
using Receiver.Web.Security;
using Receiver.Web.Tests.Browser;
using Receiver.Web.Tests.Infrastructure;
using Receiver.Web.Tests.Sender;
using Xunit.Abstractions;

namespace Receiver.Web.Tests.Https;

/// <summary>
/// The viewer page opened from another machine's point of view: at a non-loopback address (10.99.0.1 inside a private
/// network namespace, where Chromium runs), over HTTPS with the receiver's certificate trusted in the browser's profile
/// and over plain HTTP.
/// </summary>
[Collection(ChromiumCollection.Name)]
public sealed class SecureContextBrowserTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [SecureContextFact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task Viewer_AtNonLoopbackAddress_OverHttpsPlaysWebCodecs_OverHttpOffersTheHttpsPageAndPlaysMse()
    {
        Require.Ffmpeg();
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        using var space = NamespaceAddress.Create();
        await using var host = await ReceiverHost.StartAsync(
            services => services.Configure<SocketTransportOptions>(o => o.CreateBoundListenSocket = space.CreateBoundListenSocket),
            $"--urls=http://{NamespaceAddress.Address}:0");
        Assert.Equal(NamespaceAddress.Address.ToString(), host.HttpsUrl.Host);
        var sending = new AirPlaySenderSession(new SenderOptions
        {
            Host = "127.0.0.1",
            Port = host.ControlPort,
            Video = VideoSourceSpec.ParsePattern("640x360@30"),
            Seconds = 40,
            FairPlayFile = SenderTestMedia.FairPlayFile,
            Name = "Secure Context Phone",
        }).RunAsync(cts.Token);
        var session = await WaitForSessionAsync(host, sending, cts.Token);
        var fingerprint = CertificateFingerprint.Sha256(host.App.Services.GetRequiredService<HttpsCertificate>().Current!.Certificate);
        await using var chromium = await TrustingChromium.LaunchAsync(space, Path.Combine(host.DataDirectory, SelfSignedCertificateStore.CertificateFileName));

        // Another machine watches through a viewing link, as an admin shares it (Receiver:Viewer:Access=link).
        var (token, _) = host.App.Services.GetRequiredService<ViewLinks>().Create(session.Id, TimeSpan.FromMinutes(10));
        var viewPath = $"/view/{session.Id}?token={Uri.EscapeDataString(token)}";

        // Over HTTPS, certificate trusted: a secure context, so the page picks WebCodecs by itself and shows no notice.
        var secure = new ViewerPage(await chromium.NewPageAsync());
        var httpsPage = new Uri(host.HttpsUrl, viewPath);
        await secure.Page.GotoAsync(httpsPage.ToString());
        var playing = await secure.WaitAsync(s => s.FramesPresented > 10, Patience, "secure-context-https");
        var https = await PageStateAsync(secure);
        await secure.ScreenshotAsync("secure-context-https");
        output.WriteLine($"https: {playing}; {https}");
        Assert.True(https.GetProperty("secure").GetBoolean(), "isSecureContext over trusted HTTPS");
        Assert.True(https.GetProperty("videoDecoder").GetBoolean(), "VideoDecoder is defined");
        Assert.Equal("webcodecs", playing.Mode);
        Assert.False(https.GetProperty("notice").GetBoolean(), "no HTTPS notice on the HTTPS page");

        // Over plain HTTP at the same address: not a secure context; MSE plays and the notice links to the HTTPS page.
        var plain = new ViewerPage(await chromium.NewPageAsync());
        await plain.Page.GotoAsync(new Uri(host.WebUrl, viewPath).ToString());
        var mse = await plain.WaitAsync(s => s.FramesPresented > 10, Patience, "secure-context-http");
        await plain.Page.WaitForSelectorAsync("[data-role=secure-notice]:not([hidden]) [data-role=https-link]:not([hidden])", new() { Timeout = 10_000 });
        var http = await PageStateAsync(plain);
        await plain.ScreenshotAsync("secure-context-http-notice");
        output.WriteLine($"http: {mse}; {http}");
        Assert.False(http.GetProperty("secure").GetBoolean(), "isSecureContext over plain HTTP at a non-loopback address");
        Assert.False(http.GetProperty("videoDecoder").GetBoolean(), "VideoDecoder is not defined");
        Assert.Equal("mse", mse.Mode);
        Assert.True(http.GetProperty("notice").GetBoolean(), "the HTTPS notice shows");
        Assert.Equal(httpsPage.ToString(), http.GetProperty("link").GetString());
        Assert.Contains(fingerprint, http.GetProperty("fingerprint").GetString(), StringComparison.Ordinal);

        // The link leads to the secure page; the notice can be dismissed.
        await plain.Page.ClickAsync("[data-action=dismiss-notice]");
        Assert.False((await PageStateAsync(plain)).GetProperty("notice").GetBoolean(), "dismissed");
        await plain.Page.GotoAsync(http.GetProperty("link").GetString()!);
        var followed = await plain.WaitAsync(s => s.FramesPresented > 5, Patience, "secure-context-followed");
        Assert.Equal("webcodecs", followed.Mode);
        Assert.True((await PageStateAsync(plain)).GetProperty("secure").GetBoolean());

        cts.Cancel();
        try
        {
            await sending;
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static async Task<JsonElement> PageStateAsync(ViewerPage page)
    {
        var json = await page.Page.EvaluateAsync<string>(
            """
            () => {
              const notice = document.querySelector('[data-role=secure-notice]');
              const link = document.querySelector('[data-role=https-link]');
              return JSON.stringify({
                secure: window.isSecureContext, videoDecoder: typeof VideoDecoder !== 'undefined',
                notice: !!notice && !notice.hidden, link: link && !link.hidden ? link.href : '',
                fingerprint: (document.querySelector('[data-role=fingerprint]') || {}).textContent || '' });
            }
            """);
        return JsonDocument.Parse(json).RootElement.Clone();
    }

    private static async Task<Receiver.Core.Sessions.MirroringSession> WaitForSessionAsync(ReceiverHost host, Task<SenderResult> sending, CancellationToken cancellationToken)
    {
        while (true)
        {
            var session = host.Sessions.Sessions.FirstOrDefault();
            if (session?.CurrentFormat is not null)
            {
                return session;
            }

            if (sending.IsCompleted)
            {
                var result = await sending;
                Assert.Fail($"the sender ended before a session started: {result.Error}");
            }

            await Task.Delay(50, cancellationToken);
        }
    }
}
