using System.Globalization;
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
/// The viewer page as most users get it: opened from another machine over plain HTTP (10.99.0.1 inside a private
/// network namespace, where Chromium runs), so no secure context and no WebCodecs, with a phone-like sender (boot
/// clock) sending video and sound. The page picks MSE by itself and must keep up with sound.
/// </summary>
[Collection(ChromiumCollection.Name)]
public sealed class PlainHttpViewerBrowserTests(ITestOutputHelper output)
{
    // 640x360 at 30 frames a second: a rate this 2-core machine decodes in software while the suite runs, and at
    // which every picture still reaches a 60 Hz display while the player catches up after a stall (up to twice
    // real time), so the frame count measures the player, not the machine's load. The benchmark measures 720p60.
    private const int Width = 640;
    private const int Height = 360;
    private const int Rate = 30;

    [SecureContextFact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task Viewer_OverPlainHttpFromAnotherMachine_PlaysMseWithSoundAtFullFrameRate()
    {
        Require.Ffmpeg();
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var clip = await MseTestClip.GetAsync(Width, Height, Rate, 24);
        using var space = NamespaceAddress.Create();
        await using var host = await ReceiverHost.StartAsync(
            services => services.Configure<SocketTransportOptions>(o => o.CreateBoundListenSocket = space.CreateBoundListenSocket),
            $"--urls=http://{NamespaceAddress.Address}:0");
        var sending = new AirPlaySenderSession(new SenderOptions
        {
            Host = "127.0.0.1",
            Port = host.ControlPort,
            Video = VideoSourceSpec.ForFile(clip, Rate),
            Seconds = 24,
            Fast = false,
            Audio = true,
            AudioFramesFile = SenderTestMedia.AudioFrames,
            FairPlayFile = SenderTestMedia.FairPlayFile,
            Clock = "boot",
            Name = "Plain HTTP Phone",
        }).RunAsync(cts.Token);
        var session = await WaitForSessionWithSoundAsync(host, sending, cts.Token);
        await using var chromium = await TrustingChromium.LaunchAsync(space, Path.Combine(host.DataDirectory, SelfSignedCertificateStore.CertificateFileName));

        // Another machine watches through a viewing link, joining mid-GOP (the sender has been sending for a while).
        var (token, _) = host.App.Services.GetRequiredService<ViewLinks>().Create(session.Id, TimeSpan.FromMinutes(10));
        var page = new ViewerPage(await chromium.NewPageAsync());
        await page.Page.GotoAsync(new Uri(host.WebUrl, $"/view/{session.Id}?token={Uri.EscapeDataString(token)}").ToString());
        var probe = await MsePlaybackProbe.InstallAsync(page.Page);
        await page.WaitAsync(s => s.FramesPresented > 0, TimeSpan.FromSeconds(30), "plain-http-mse-sound");
        var secure = await page.Page.EvaluateAsync<bool>("() => window.isSecureContext || typeof VideoDecoder !== 'undefined'");

        // Steady within two seconds of the first picture (the GOP so far is decoded without being shown), then watch.
        await Task.Delay(TimeSpan.FromSeconds(2), cts.Token);
        var figures = await probe.MeasureAsync(TimeSpan.FromSeconds(10), cts.Token);
        var steadyAfter = await probe.SteadyAfterAsync(figures.Last.TargetLag);
        await page.ScreenshotAsync("plain-http-mse-sound");
        var line = string.Create(CultureInfo.InvariantCulture,
            $"{DateTime.UtcNow:u} plain HTTP at {NamespaceAddress.Address}, MSE {Width}x{Height}@{Rate} with sound, boot clock: steady {steadyAfter:F2} s after the first picture; {figures}; " +
            $"receiver: video fragments dropped {session.Media.DroppedFragments}, audio {session.Media.DroppedAudioFragments}, audio resyncs {session.Media.AudioResyncs}");
        output.WriteLine(line);
        await File.AppendAllTextAsync(Path.Combine(ChromiumFixture.ScreenshotDirectory, "..", "viewer-latency.txt"), line + Environment.NewLine);

        Assert.False(secure, "plain HTTP at a non-loopback address is not a secure context and has no WebCodecs");
        Assert.Equal("mse", figures.Last.Mode);
        Assert.Equal(string.Empty, figures.Last.Error);
        Assert.NotEqual(string.Empty, figures.Last.AudioRanges);
        Assert.True(figures.AudioFrames > 300, $"sound keeps arriving ({figures.AudioFrames} frames in {figures.Seconds:F1} s)");
        Assert.True(figures.Last.AudioBytes > figures.First.AudioBytes, "sound is decoded");
        Assert.InRange(figures.Played / figures.Seconds, 0.8, 1.3);
        Assert.True(figures.DecodedPerMediaSecond >= 0.95 * Rate, $"{figures.DecodedPerMediaSecond:F1} frames/s decoded and kept of {Rate}");
        // No stall that freezes the picture: on a loaded machine Chromium's audio renderer may run dry and refill
        // (a pause of a few hundred milliseconds, after which the player raises its target lag); that is reported above.
        Assert.True(figures.LongestFreeze < 1, $"the picture stood still for {figures.LongestFreeze:F2} s");
        Assert.True(figures.LatencyPercentile(50) < 1000, $"latency p50 {figures.LatencyPercentile(50):F0} ms");

        cts.Cancel();
        try
        {
            await sending;
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static async Task<Receiver.Core.Sessions.MirroringSession> WaitForSessionWithSoundAsync(ReceiverHost host, Task<SenderResult> sending, CancellationToken cancellationToken)
    {
        while (true)
        {
            var session = host.Sessions.Sessions.FirstOrDefault();
            if (session?.CurrentFormat is not null && session.Media.CurrentAudioFormat is not null)
            {
                return session;
            }

            if (sending.IsCompleted)
            {
                var result = await sending;
                Assert.Fail($"the sender ended before a session with sound started: {result.Error}");
            }

            await Task.Delay(50, cancellationToken);
        }
    }
}
