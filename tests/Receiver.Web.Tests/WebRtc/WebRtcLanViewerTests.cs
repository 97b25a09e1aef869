using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Playwright;
using Receiver.Web.Tests.Browser;
using Receiver.Web.Tests.Infrastructure;
using Receiver.Web.Tests.Sender;
using Xunit.Abstractions;

namespace Receiver.Web.Tests.WebRtc;

/// <summary>
/// WebRTC viewing as a viewer on another machine gets it: two private network namespaces joined by a veth pair
/// (<see cref="LanNamespaces"/>) are the receiver's machine, with Janus, the receiver (its own process, WebRTC through
/// that Janus) and a phone-like sender simulator (boot clock, with sound), and the viewer's machine, with headless
/// Chromium. The page is opened over plain HTTP at the receiver's LAN address, so it is no secure context, and plays in
/// its default mode, WebRTC, with ICE over the LAN link. It must show at least 95 % of the sender's frames and receive
/// Opus sound with energy in it. Nothing touches the machine's interfaces.
/// </summary>
[Collection(ChromiumCollection.Name)]
public sealed class WebRtcLanViewerTests(ITestOutputHelper output)
{
    // 320x240 at 30 frames a second: small enough that this shared 2-core machine decodes and shows every picture in
    // software while other work runs (at 640x360 a load average of 12 already cost 5–12 % of the pictures), so the
    // count measures the WebRTC path; the benchmark (bench/webrtc-latency.sh) measures 720p60 and the load.
    private const int Width = 320;
    private const int Height = 240;
    private const int Rate = 30;
    private const int WebPort = 8080;
    private const int ControlPort = 7000;
    private const int JanusPort = 8088;

    // The presented-frame counter of the video element (requestVideoFrameCallback's presentedFrames, which counts
    // every picture the compositor showed even when callbacks are merged) with the RTP timestamp of the picture shown
    // last, so that pictures shown are compared with pictures sent over the same stretch of the stream: a jitter
    // buffer that deepens meanwhile delays pictures without losing them.
    private const string InstallCounter =
        """
        () => {
          const v = document.querySelector('video');
          const c = { presented: 0, rtp: -1 };
          window.__lanCounter = c;
          const loop = (_now, m) => {
            c.presented = m.presentedFrames;
            c.rtp = typeof m.rtpTimestamp === 'number' ? m.rtpTimestamp : -1;
            v.requestVideoFrameCallback(loop);
          };
          v.requestVideoFrameCallback(loop);
        }
        """;

    private const string ReadCounter = "() => JSON.stringify(window.__lanCounter)";

    // The page's own figures of its PeerConnection: pictures decoded, packets received and lost.
    private const string Inbound = "async () => JSON.stringify(await window.__viewer.webrtc.inbound())";

    // The inbound audio stream of the PeerConnection: its codec, packets and decoded samples.
    private const string AudioInbound =
        """
        async () => {
          const pc = window.__viewer.webrtc && window.__viewer.webrtc.pc;
          if (!pc) { return JSON.stringify({ mime: '', packets: 0, samples: 0 }); }
          const report = await pc.getStats();
          const codecs = new Map();
          let audio = null;
          report.forEach((e) => { if (e.type === 'codec') { codecs.set(e.id, e); } if (e.type === 'inbound-rtp' && e.kind === 'audio') { audio = e; } });
          const codec = audio && codecs.get(audio.codecId);
          return JSON.stringify({ mime: codec ? codec.mimeType : '', packets: audio ? audio.packetsReceived || 0 : 0,
            samples: audio ? audio.totalSamplesReceived || 0 : 0 });
        }
        """;

    // The loudest sample of the received sound over half a second, through Web Audio (the track's own decoded PCM).
    private const string AudioPeak =
        """
        async () => {
          const stream = document.querySelector('video').srcObject;
          const track = stream && stream.getAudioTracks()[0];
          if (!track) { return -1; }
          const context = new AudioContext();
          await context.resume();
          const analyser = context.createAnalyser();
          analyser.fftSize = 2048;
          context.createMediaStreamSource(new MediaStream([track])).connect(analyser);
          const data = new Float32Array(analyser.fftSize);
          let peak = 0;
          for (let i = 0; i < 25; i++) {
            await new Promise((r) => setTimeout(r, 20));
            analyser.getFloatTimeDomainData(data);
            for (const v of data) { peak = Math.max(peak, Math.abs(v)); }
          }
          await context.close();
          return peak;
        }
        """;

    [JanusNamespaceFact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task WebRtcViewer_PlainHttpFromAnotherAddress_ShowsNearlyEveryFrameAndPlaysOpusSound()
    {
        Require.Ffmpeg();
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        var clip = await MseTestClip.GetAsync(Width, Height, Rate, 45);
        var work = Directory.CreateTempSubdirectory("airplay-webrtc-lan-").FullName;
        await using var lan = await LanNamespaces.CreateAsync();
        var janusDirectory = Directory.CreateDirectory(Path.Combine(work, "janus")).FullName;
        await using var janus = new BackgroundProcess("janus");
        await using var receiver = new BackgroundProcess("receiver");
        await using var sender = new BackgroundProcess("sender");
        try
        {
            var janusPid = await StartJanusAsync(lan, janusDirectory);
            janus.Adopt(janusPid);
            Assert.True(await WaitForAsync(async () => await CurlAsync(lan, $"http://127.0.0.1:{JanusPort}/janus/info") == "200", TimeSpan.FromSeconds(30)),
                "Janus answers inside the namespace");

            var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";
            receiver.Start("ip",
            [
                "netns", "exec", lan.Server, dotnet, Path.Combine(AppContext.BaseDirectory, "Receiver.Web.dll"),
                $"--urls=http://{LanNamespaces.ServerAddress}:{WebPort};http://127.0.0.1:{WebPort}",
                $"--Receiver:ControlPort={ControlPort}", "--Receiver:MirrorPort=0", "--Receiver:Discovery:Enabled=false",
                "--Receiver:Web:EnableHttps=false", "--Receiver:Legacy:SenderTimingPort=0",
                $"--Receiver:DataDirectory={Path.Combine(work, "data")}", "--Receiver:Access:Mode=open", "--Receiver:Viewer:Access=open",
                $"--Receiver:WebRtc:JanusUrl=http://127.0.0.1:{JanusPort}/janus",
            ]);
            Assert.True(await WaitForAsync(async () => !receiver.HasExited && await CurlAsync(lan, $"http://127.0.0.1:{WebPort}/readyz") == "200", TimeSpan.FromSeconds(60)),
                "the receiver becomes ready");

            sender.Start("ip",
            [
                "netns", "exec", lan.Server, dotnet, Path.Combine(AppContext.BaseDirectory, "Receiver.Sender.dll"), "mirror",
                "--host", "127.0.0.1", "--port", ControlPort.ToString(CultureInfo.InvariantCulture), "--input", clip,
                "--fps", Rate.ToString(CultureInfo.InvariantCulture), "--seconds", "45", "--audio", "--clock", "boot",
                "--name", "LAN Phone", "--vectors", SenderTestMedia.VectorsFolder,
            ]);
            var sessionId = await WaitForSessionWithSoundAsync(lan, sender, cts.Token);
            Assert.True(await WaitForAsync(async () => (await GetAsync(lan, $"http://127.0.0.1:{WebPort}/readyz")).Contains("\"janus\":\"reachable\"", StringComparison.Ordinal), TimeSpan.FromSeconds(30)),
                "the receiver reaches Janus");

            using var playwright = await Playwright.CreateAsync();
            await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = lan.ViewerWrapperScript(work, ChromiumFixture.ExecutablePath),
                Headless = true,
                Args =
                [
                    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--autoplay-policy=no-user-gesture-required",
                    // Host candidates as addresses, as a page with camera permission gets them: Janus resolves no .local names.
                    "--disable-features=WebRtcHideLocalIpsWithMdns",
                ],
            });
            var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 960, Height = 540 } });
            var page = new ViewerPage(await context.NewPageAsync());

            // No mode asked: WebRTC is the page's default when the receiver has Janus.
            await page.Page.GotoAsync($"http://{LanNamespaces.ServerAddress}:{WebPort}/view/{sessionId}");
            var secure = await page.Page.EvaluateAsync<bool>("() => window.isSecureContext");
            await page.Page.EvaluateAsync(InstallCounter);
            await page.WaitAsync(s => s.FramesPresented > 0 && s.Width == Width, TimeSpan.FromSeconds(40), "webrtc-lan-first-picture");

            // Settle after the first picture, then count what the compositor presented against what the phone sent.
            await Task.Delay(TimeSpan.FromSeconds(3), cts.Token);
            var audioBefore = JsonDocument.Parse(await page.Page.EvaluateAsync<string>(AudioInbound)).RootElement;
            var before = JsonDocument.Parse(await page.Page.EvaluateAsync<string>(ReadCounter)).RootElement;
            var inboundBefore = JsonDocument.Parse(await page.Page.EvaluateAsync<string>(Inbound)).RootElement;
            var watch = Stopwatch.StartNew();
            await Task.Delay(TimeSpan.FromSeconds(15), cts.Token);
            var after = JsonDocument.Parse(await page.Page.EvaluateAsync<string>(ReadCounter)).RootElement;
            var inbound = await page.Page.EvaluateAsync<string>(Inbound);
            var inboundAfter = JsonDocument.Parse(inbound).RootElement;
            var seconds = watch.Elapsed.TotalSeconds;
            var shown = after.GetProperty("presented").GetDouble() - before.GetProperty("presented").GetDouble();
            // Pictures the phone sent between the two pictures shown (90 kHz RTP clock, 32 bits), counting both ends.
            var rtpSpan = (uint)(after.GetProperty("rtp").GetInt64() - before.GetProperty("rtp").GetInt64());
            var sent = (rtpSpan / 90_000.0 * Rate) + 1;
            var audioAfter = JsonDocument.Parse(await page.Page.EvaluateAsync<string>(AudioInbound)).RootElement;
            var peak = await page.Page.EvaluateAsync<double>(AudioPeak);
            var snapshot = await page.SnapshotAsync();
            var decoded = inboundAfter.GetProperty("videoFrames").GetDouble() - inboundBefore.GetProperty("videoFrames").GetDouble();
            var lost = inboundAfter.GetProperty("videoLost").GetDouble() - inboundBefore.GetProperty("videoLost").GetDouble();
            await page.ScreenshotAsync("webrtc-lan-plain-http");
            var shownPercent = 100 * (shown - 1) / (sent - 1);
            var decodedPercent = 100 * decoded / sent;
            var figures = string.Create(CultureInfo.InvariantCulture,
                $"{sent:F0} pictures sent, {decoded} decoded ({decodedPercent:F1} %), {shown} shown ({shownPercent:F1} %), {lost} video packets lost, in {seconds:F1} s");
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{DateTime.UtcNow:u} WebRTC at http://{LanNamespaces.ServerAddress}:{WebPort} (secure context {secure}), {snapshot.Width}x{snapshot.Height}: {figures}; " +
                $"audio {audioAfter.GetProperty("mime").GetString()}, {audioAfter.GetProperty("packets").GetInt64() - audioBefore.GetProperty("packets").GetInt64()} packets, peak {peak:F3}; inbound {inbound}; mode {snapshot.Mode}, error '{snapshot.LastError}'"));

            Assert.False(secure, "plain HTTP at a non-loopback address is not a secure context");
            Assert.Equal("webrtc", snapshot.Mode);
            Assert.Equal(Width, snapshot.Width);
            Assert.Equal(string.Empty, snapshot.LastError);
            Assert.True(before.GetProperty("rtp").GetInt64() >= 0, "the pictures carry their RTP timestamp");
            Assert.InRange(sent, 0.7 * Rate * seconds, 1.3 * Rate * seconds);
            // What the WebRTC path delivers: every picture sent reaches the decoder (none lost, none dropped for lateness).
            // What the page shows also depends on headless Chromium's compositor on this shared 2-core machine: nearly
            // every picture.
            Assert.True(decodedPercent >= 98, figures);
            Assert.True(shownPercent >= 90, figures);
            Assert.Equal("audio/opus", audioAfter.GetProperty("mime").GetString());
            // ~50 Opus packets a second (20 ms frames) over 15 s.
            Assert.True(audioAfter.GetProperty("packets").GetInt64() - audioBefore.GetProperty("packets").GetInt64() >= 600, "Opus packets keep arriving");
            Assert.True(audioAfter.GetProperty("samples").GetDouble() > audioBefore.GetProperty("samples").GetDouble(), "sound is decoded");
            // The test sound is a sine sweep near full scale; silence would be 0. (The inbound audioLevel statistic stays 0 in headless Chromium.)
            Assert.True(peak > 0.05, string.Create(CultureInfo.InvariantCulture, $"the sound is not silence (peak {peak:F3})"));
            await context.CloseAsync();
        }
        catch
        {
            output.WriteLine("receiver: " + receiver.Output);
            output.WriteLine("sender: " + sender.Output);
            foreach (var log in Directory.EnumerateFiles(janusDirectory, "janus.log", SearchOption.AllDirectories))
            {
                output.WriteLine("janus: " + await File.ReadAllTextAsync(log));
            }

            throw;
        }
        finally
        {
            await sender.DisposeAsync();
            await receiver.DisposeAsync();
            await janus.DisposeAsync();
            try
            {
                Directory.Delete(work, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    /// <summary>Starts Janus on the receiver's side with <c>deploy/janus/run-local.sh</c> (ICE on the LAN interface only); returns its PID.</summary>
    private static async Task<int> StartJanusAsync(LanNamespaces lan, string directory)
    {
        var script = Path.Combine(TestPaths.RepositoryRoot, "deploy", "janus", "run-local.sh");
        var (exit, text) = await ExternalTools.RunAsync("ip",
            ["netns", "exec", lan.Server, "env", $"TMPDIR={directory}", "bash", script, JanusPort.ToString(CultureInfo.InvariantCulture), LanNamespaces.ServerInterface, "40000-40099"],
            TimeSpan.FromSeconds(30));
        Assert.True(exit == 0 && int.TryParse(text.Trim(), CultureInfo.InvariantCulture, out _), $"run-local.sh failed ({exit}): {text}");
        return int.Parse(text.Trim(), CultureInfo.InvariantCulture);
    }

    private static async Task<string> WaitForSessionWithSoundAsync(LanNamespaces lan, BackgroundProcess sender, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            var body = await GetAsync(lan, $"http://127.0.0.1:{WebPort}/api/sessions");
            if (body.StartsWith('['))
            {
                foreach (var session in JsonDocument.Parse(body).RootElement.EnumerateArray())
                {
                    if (session.TryGetProperty("codec", out var codec) && codec.ValueKind == JsonValueKind.String)
                    {
                        var id = session.GetProperty("id").GetString()!;
                        var detail = await GetAsync(lan, $"http://127.0.0.1:{WebPort}/api/sessions/{id}");
                        if (detail.StartsWith('{') && JsonDocument.Parse(detail).RootElement.GetProperty("streams").GetProperty("audio").GetBoolean())
                        {
                            return id;
                        }
                    }
                }
            }

            Assert.False(sender.HasExited, $"the sender ended before a session with sound started: {sender.Output}");
            await Task.Delay(200, cancellationToken);
        }

        Assert.Fail($"no session with video and sound; sessions: {await GetAsync(lan, $"http://127.0.0.1:{WebPort}/api/sessions")}");
        return string.Empty;
    }

    private static async Task<bool> WaitForAsync(Func<Task<bool>> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (await condition())
            {
                return true;
            }

            await Task.Delay(250);
        }

        return false;
    }

    /// <summary>curl on the receiver's side; the HTTP status, 000 when nothing answered.</summary>
    private static async Task<string> CurlAsync(LanNamespaces lan, string url)
    {
        var (_, text) = await ExternalTools.RunAsync("ip", ["netns", "exec", lan.Server, "curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "--max-time", "5", url], TimeSpan.FromSeconds(15));
        return text.Trim();
    }

    /// <summary>curl on the receiver's side; the body, empty when nothing answered.</summary>
    private static async Task<string> GetAsync(LanNamespaces lan, string url)
    {
        var (_, text) = await ExternalTools.RunAsync("ip", ["netns", "exec", lan.Server, "curl", "-s", "--max-time", "5", url], TimeSpan.FromSeconds(15));
        return text.Trim();
    }

    /// <summary>A program this test started (or adopted by PID), its output kept for a failure message, killed by PID at the end.</summary>
    private sealed class BackgroundProcess(string name) : IAsyncDisposable
    {
        private readonly StringBuilder _output = new();
        private Process? _process;
        private int? _adopted;

        public bool HasExited => _process?.HasExited ?? false;

        public string Output
        {
            get
            {
                lock (_output)
                {
                    return _output.Length > 20_000 ? _output.ToString(_output.Length - 20_000, 20_000) : _output.ToString();
                }
            }
        }

        public void Adopt(int pid) => _adopted = pid;

        public void Start(string file, IEnumerable<string> arguments)
        {
            var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var argument in arguments)
            {
                info.ArgumentList.Add(argument);
            }

            _process = Process.Start(info) ?? throw new InvalidOperationException($"{name} did not start");
            _process.OutputDataReceived += (_, e) => Append(e.Data);
            _process.ErrorDataReceived += (_, e) => Append(e.Data);
            _process.BeginOutputReadLine();
            _process.BeginErrorReadLine();
        }

        private void Append(string? line)
        {
            if (line is not null)
            {
                lock (_output)
                {
                    _output.AppendLine(line);
                }
            }
        }

        public async ValueTask DisposeAsync()
        {
            if (_process is { HasExited: false })
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }

            _process?.Dispose();
            _process = null;
            if (_adopted is { } pid)
            {
                _adopted = null;
                try
                {
                    using var adopted = Process.GetProcessById(pid);
                    adopted.Kill();
                    await adopted.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token);
                }
                catch (Exception e) when (e is ArgumentException or InvalidOperationException or OperationCanceledException)
                {
                }
            }
        }
    }
}
