using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Receiver.Sender.Sessions;
using Receiver.Web.Tests.Browser;
using Receiver.Web.Tests.Infrastructure;
using Receiver.Web.Tests.Sender;
using Receiver.Web.WebRtc;
using Xunit.Abstractions;

namespace Receiver.Web.Tests.WebRtc;

/// <summary>
/// WebRTC viewing through Janus, end to end: a phone-like simulated sender (boot clock) mirrors with sound, the
/// receiver sends the session to a Janus started for the test, and the viewer page on plain HTTP plays it over a
/// PeerConnection: pictures advance and the audio track receives packets. The page is opened under a host name
/// (mapped to 127.0.0.1 by Chromium's resolver, so every packet stays on loopback) that is not a secure context, as
/// a page from another machine is not. Then the session ends and its mountpoint is gone from Janus.
/// </summary>
[Collection(ChromiumCollection.Name)]
public sealed class WebRtcViewerTests(ChromiumFixture chromium, ITestOutputHelper output)
{
    // A name that resolves nowhere but in this test's Chromium (to 127.0.0.1).
    private const string PageHost = "airplay-receiver.test";

    [JanusChromiumFact]
    public async Task ViewerPage_PlainHttpWithJanus_PlaysMirroredScreenAndSoundOverWebRtc()
    {
        Require.Ffmpeg();
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await using var janus = await JanusProcess.StartAsync(cts.Token);
        await using var host = await ReceiverHost.StartAsync($"--Receiver:WebRtc:JanusUrl={janus.ApiUrl}");
        var options = SenderTestMedia.LiveAudioOptions(host.ControlPort, 40);
        Assert.Equal("boot", options.Clock);
        var sending = new AirPlaySenderSession(options).RunAsync(cts.Token);
        while (host.Sessions.Count == 0 && !sending.IsCompleted)
        {
            await Task.Delay(10, cts.Token);
        }

        var session = host.Sessions.Sessions.First();
        using (var http = new HttpClient())
        {
            Assert.Contains("\"janus\":\"reachable\"", await http.GetStringAsync(new Uri(host.WebUrl, "/readyz"), cts.Token), StringComparison.Ordinal);
        }

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumFixture.ExecutablePath,
            Headless = true,
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--autoplay-policy=no-user-gesture-required", "--allow-loopback-in-peer-connection",
                $"--host-resolver-rules=MAP {PageHost} 127.0.0.1",
            ],
        });
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 960, Height = 540 } });
        var page = new ViewerPage(await context.NewPageAsync());
        try
        {
            // No mode asked: WebRTC is the default when the receiver has it.
            await page.Page.GotoAsync(string.Create(CultureInfo.InvariantCulture, $"http://{PageHost}:{host.WebUrl.Port}/view/{session.Id}"));
            Assert.False(await page.Page.EvaluateAsync<bool>("() => window.isSecureContext"), "a plain-HTTP page under a host name is not a secure context");
            await page.WaitAsync(s => s.FramesPresented > 0, TimeSpan.FromSeconds(40), "webrtc-first-picture");
            var before = await page.SnapshotAsync();
            await Task.Delay(TimeSpan.FromSeconds(4), cts.Token);
            var after = await page.SnapshotAsync();
            var inbound = JsonDocument.Parse(await page.Page.EvaluateAsync<string>("async () => JSON.stringify(await window.__viewer.webrtc.inbound())")).RootElement;
            var audioPackets = inbound.GetProperty("audioPackets").GetInt64();
            var videoFrames = inbound.GetProperty("videoFrames").GetInt64();
            var fps = (after.FramesPresented - before.FramesPresented) / 4.0;
            var ingest = host.App.Services.GetRequiredService<JanusIngestService>().IngestOf(session.Id);
            output.WriteLine($"lip sync: target {ingest?.LipSyncLagMicroseconds} µs, video {ingest?.VideoLagMicroseconds} µs, audio {ingest?.AudioLagMicroseconds} µs; {ingest?.VideoPackets} video packets, {ingest?.AudioPackets} audio");
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"webrtc: mode {after.Mode}, {after.Width}x{after.Height}, {fps:F1} frames/s shown of 30, {videoFrames} decoded, {audioPackets} audio packets, jitter buffer {inbound.GetProperty("jitterBufferMs")} ms, error '{after.LastError}'"));
            await page.ScreenshotAsync("webrtc-plain-http");
            Assert.False(await page.Page.EvaluateAsync<bool>("() => typeof VideoDecoder !== 'undefined'"), "no WebCodecs on this page");

            Assert.Equal("webrtc", after.Mode);
            Assert.Equal(320, after.Width);
            // A generous floor on a shared 2-core machine; the benchmark measures.
            Assert.True(fps >= 15, $"{fps:F1} frames/s shown over WebRTC");
            Assert.True(audioPackets > 0, "the audio track receives Opus packets");
        }
        catch
        {
            output.WriteLine(janus.Log);
            throw;
        }
        finally
        {
            await context.CloseAsync();
        }

        var mountpoint = host.App.Services.GetRequiredService<JanusIngestService>().MountpointOf(session.Id);
        Assert.NotNull(mountpoint);
        cts.Cancel();
        try
        {
            await sending;
        }
        catch (OperationCanceledException)
        {
        }

        // The sender has gone: the session ends (its connection closes) and its mountpoint with it.
        var client = new JanusStreamingClient(new HttpClient(), janus.ApiUrl, TimeSpan.FromSeconds(5));
        var handle = await client.AttachAsync(CancellationToken.None);
        var exists = true;
        for (var i = 0; i < 100 && exists; i++)
        {
            await Task.Delay(200);
            exists = await client.MountpointExistsAsync(handle, mountpoint.Id, CancellationToken.None);
        }

        Assert.False(exists, $"mountpoint {mountpoint.Id} is destroyed when the session ends");
    }

    [ChromiumFact]
    public async Task ViewerPage_JanusUnreachable_FallsBackToTheWebSocketPlayer()
    {
        Require.Ffmpeg();
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        // Janus is configured but nothing answers on its port.
        using var closed = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        closed.Start();
        var port = ((System.Net.IPEndPoint)closed.LocalEndpoint).Port;
        closed.Stop();
        await using var host = await ReceiverHost.StartAsync($"--Receiver:WebRtc:JanusUrl=http://127.0.0.1:{port}/janus", "--Receiver:WebRtc:RequestTimeoutSeconds=2");
        var sending = new AirPlaySenderSession(SenderTestMedia.LiveAudioOptions(host.ControlPort, 30)).RunAsync(cts.Token);
        while (host.Sessions.Count == 0 && !sending.IsCompleted)
        {
            await Task.Delay(10, cts.Token);
        }

        var session = host.Sessions.Sessions.First();
        var page = new ViewerPage(await chromium.NewPageAsync());
        var sockets = new System.Collections.Concurrent.ConcurrentQueue<string>();
        page.Page.WebSocket += (_, socket) => sockets.Enqueue(socket.Url);
        try
        {
            await page.Page.GotoAsync(new Uri(host.WebUrl, $"/view/{session.Id}").ToString());
            var shown = await page.WaitAsync(s => s.FramesPresented > 10, TimeSpan.FromSeconds(30), "webrtc-fallback");
            output.WriteLine($"fallback: {shown}; sockets {string.Join(", ", sockets)}");

            // The page knew from its own HTML that Janus is down: straight to the WebSocket player, no signalling socket.
            Assert.DoesNotContain(sockets, url => url.EndsWith("/webrtc", StringComparison.Ordinal));
            Assert.Contains(sockets, url => url.Contains("/media?", StringComparison.Ordinal));

            // Loopback is a secure context: the fallback is WebCodecs.
            Assert.Equal("webcodecs", shown.Mode);
            Assert.True(await page.Page.EvaluateAsync<bool>("() => window.__viewer.webrtcUnavailable"));
            Assert.Equal(string.Empty, shown.LastError);
            Assert.StartsWith("webrtc: ", await page.Page.EvaluateAsync<string>("() => window.__viewer.webrtcReason"), StringComparison.Ordinal);
            using var http = new HttpClient();
            Assert.Contains("\"janus\":\"unreachable\"", await http.GetStringAsync(new Uri(host.WebUrl, "/readyz"), cts.Token), StringComparison.Ordinal);
        }
        finally
        {
            await page.Page.Context.CloseAsync();
            cts.Cancel();
            try
            {
                await sending;
            }
            catch (OperationCanceledException)
            {
            }
        }
    }

    [ChromiumFact]
    public async Task ViewerPage_WithoutJanus_GoesStraightToTheWebSocketPlayer_NoSignallingSocket()
    {
        Require.Ffmpeg();
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await using var host = await ReceiverHost.StartAsync();
        var sending = new AirPlaySenderSession(SenderTestMedia.LiveAudioOptions(host.ControlPort, 30)).RunAsync(cts.Token);
        while (host.Sessions.Count == 0 && !sending.IsCompleted)
        {
            await Task.Delay(10, cts.Token);
        }

        var session = host.Sessions.Sessions.First();
        var page = new ViewerPage(await chromium.NewPageAsync());
        var sockets = new System.Collections.Concurrent.ConcurrentQueue<string>();
        page.Page.WebSocket += (_, socket) => sockets.Enqueue(socket.Url);
        try
        {
            await page.Page.GotoAsync(new Uri(host.WebUrl, $"/view/{session.Id}").ToString());
            var shown = await page.WaitAsync(s => s.FramesPresented > 10, TimeSpan.FromSeconds(30), "no-janus");
            output.WriteLine($"without Janus: {shown}; sockets {string.Join(", ", sockets)}");

            Assert.Equal("off", await page.Page.EvaluateAsync<string>("() => document.querySelector('meta[name=receiver-webrtc]').content"));
            Assert.Equal("webcodecs", shown.Mode);
            Assert.Equal("webrtc: not configured", await page.Page.EvaluateAsync<string>("() => window.__viewer.webrtcReason"));
            Assert.Single(sockets);
            Assert.Contains("/media?mode=webcodecs", sockets.Single(), StringComparison.Ordinal);
            // The toolbar offers no WebRTC either.
            Assert.Equal("mse", await page.Page.EvaluateAsync<string>("() => window.__viewer.nextMode()"));
        }
        finally
        {
            await page.Page.Context.CloseAsync();
            cts.Cancel();
            try
            {
                await sending;
            }
            catch (OperationCanceledException)
            {
            }
        }
    }

    [JanusChromiumFact]
    public async Task ViewerPage_JanusGoesAwayAndReturns_FallsBackThenPlaysOverWebRtcAgain()
    {
        Require.Ffmpeg();
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var janus = await JanusProcess.StartAsync(cts.Token);
        try
        {
            await using var host = await ReceiverHost.StartAsync($"--Receiver:WebRtc:JanusUrl={janus.ApiUrl}", "--Receiver:WebRtc:RequestTimeoutSeconds=2");
            var sending = new AirPlaySenderSession(SenderTestMedia.LiveAudioOptions(host.ControlPort, 90)).RunAsync(cts.Token);
            while (host.Sessions.Count == 0 && !sending.IsCompleted)
            {
                await Task.Delay(10, cts.Token);
            }

            var session = host.Sessions.Sessions.First();
            var page = new ViewerPage(await chromium.NewPageAsync());
            using var http = new HttpClient();
            try
            {
                await page.Page.GotoAsync(new Uri(host.WebUrl, $"/view/{session.Id}").ToString());
                var first = await page.WaitAsync(s => s.FramesPresented > 10, TimeSpan.FromSeconds(40), "webrtc-before");
                Assert.Equal("webrtc", first.Mode);

                // Janus goes away: the page moves to the WebSocket player and keeps showing the screen.
                var port = janus.Port;
                await janus.DisposeAsync();
                var fallback = await page.WaitAsync(s => s.Mode == "webcodecs", TimeSpan.FromSeconds(20), "webrtc-fallback");
                var shownBefore = (await page.WaitAsync(s => s.FramesPresented > fallback.FramesPresented + 10, TimeSpan.FromSeconds(20), "fallback-plays")).FramesPresented;
                while (!(await http.GetStringAsync(new Uri(host.WebUrl, "/readyz"), cts.Token)).Contains("\"janus\":\"unreachable\"", StringComparison.Ordinal))
                {
                    await Task.Delay(200, cts.Token);
                }

                // Janus returns on its port: the session gets a new mountpoint and the page goes back to WebRTC.
                janus = await JanusProcess.StartAsync(cts.Token, port);
                var back = await page.WaitAsync(s => s.Mode == "webrtc", TimeSpan.FromSeconds(40), "webrtc-return");
                var playing = await page.WaitAsync(s => s.Mode == "webrtc" && s.FramesPresented > back.FramesPresented + 30, TimeSpan.FromSeconds(40), "webrtc-after");
                var audioPackets = await page.Page.EvaluateAsync<long>("async () => (await window.__viewer.webrtc.inbound()).audioPackets");
                output.WriteLine($"before {first}; fallback {fallback}; back {playing}; audio packets after the return {audioPackets}");

                Assert.True(shownBefore > fallback.FramesPresented);
                Assert.Equal(1, await page.Page.EvaluateAsync<int>("() => window.__viewer.webrtcReturns"));
                Assert.True(audioPackets > 0, "sound over WebRTC again");
            }
            catch
            {
                output.WriteLine(janus.Log);
                throw;
            }
            finally
            {
                await page.Page.Context.CloseAsync();
                cts.Cancel();
                try
                {
                    await sending;
                }
                catch (OperationCanceledException)
                {
                }
            }
        }
        finally
        {
            await janus.DisposeAsync();
        }
    }
}
