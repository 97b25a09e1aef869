using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Receiver.Core.Media;
using Receiver.Core.Sessions;
using Receiver.Sender.Legacy;
using Receiver.Sender.Sessions;
using Receiver.Sender.Video;
using Receiver.Web.Tests.Browser;
using Receiver.Web.Tests.Infrastructure;
using Receiver.Web.Tests.Sender;
using Xunit.Abstractions;

namespace Receiver.Web.Tests.Legacy;

/// <summary>
/// The sender simulator's legacy port-7100 flow (<c>--legacy</c>) against our receiver host: what the receiver dumps,
/// how the session is listed, the NTP exchange on the sender's timing port, and the viewer page in Chromium.
/// </summary>
[Collection(ChromiumCollection.Name)]
public sealed class LegacySimulatorTests(ChromiumFixture chromium, ITestOutputHelper output)
{
    private static string Port(int port) => port.ToString(CultureInfo.InvariantCulture);

    private static LegacySenderOptions Options(ReceiverHost host, VideoSourceSpec video, bool plain) => new()
    {
        Sender = new SenderOptions
        {
            Host = "127.0.0.1",
            Video = video,
            Fast = true,
            FairPlayFile = SenderTestMedia.FairPlayFile,
            FairPlayCase = "gen-11",
        },
        MirrorPort = host.MirrorPort,
        Plain = plain,
    };

    private static Task<ReceiverHost> StartHostAsync(int timingPort, string? dumpDirectory = null) => dumpDirectory is null
        ? ReceiverHost.StartAsync($"--Receiver:Legacy:SenderTimingPort={Port(timingPort)}")
        : ReceiverHost.StartAsync($"--Receiver:Legacy:SenderTimingPort={Port(timingPort)}", $"--Receiver:Diagnostics:DumpVideoDirectory={dumpDirectory}");

    [FfmpegFact]
    public Task Legacy_EncryptedClipFast_DumpEqualsSourceSlices() => ClipFastAsync(plain: false);

    [FfmpegFact]
    public Task Legacy_PlainClipFast_DumpEqualsSourceSlices() => ClipFastAsync(plain: true);

    [FfmpegFact]
    public async Task Legacy_RealTimePattern_ListedAsLegacyAndNtpAnswered()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await using var timing = new LegacyTimingResponder(IPAddress.Loopback, 0);
        await using var host = await StartHostAsync(timing.Port);
        var options = Options(host, VideoSourceSpec.ParsePattern("320x240@30"), plain: false);
        var session = new LegacySenderSession(options with { Sender = options.Sender with { Fast = false, Seconds = 4 } }, timing);

        var run = session.RunAsync(cts.Token);
        var listed = await WaitForLegacySessionAsync(host, run);
        var result = await run;

        Assert.True(result.Ok, result.Error);
        Assert.Equal(session.DeviceId, listed.Sender.DeviceId);
        Assert.Equal(["connect", "stream-xml", "stream-xml-check", "fp-setup-1", "fp-setup-3", "post-stream", "stream", "close", "ntp"], result.Steps.Select(s => s.Name));
        Assert.InRange(result.FramesSent, 115, 120);
        Assert.True(timing.RequestsAnswered >= 1, $"{timing.RequestsAnswered} NTP requests answered");
        Assert.Contains(result.Steps, s => s.Name == "ntp" && s.Detail!.StartsWith($"{timing.RequestsAnswered} NTP requests answered", StringComparison.Ordinal));
        output.WriteLine($"{timing.RequestsAnswered} NTP requests answered, {result.BytesSent} bytes in {result.DurationSeconds:F1} s");
    }

    [FfmpegFact]
    public async Task Cli_LegacyPlainTwoSessions_ExitsZeroWithDistinctSessions()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        using var temp = new SenderTempDirectory("legacy-cli");
        var (mp4, _) = await H264Clip.WriteFilesAsync(temp.Path, 320, 180, 1);
        var timingPort = FreeUdpPort();
        await using var host = await StartHostAsync(timingPort);
        using var events = host.Events.Subscribe();
        var json = Path.Combine(temp.Path, "summary.json");

        var (code, text) = await ExternalTools.RunAsync("dotnet",
        [
            Path.Combine(AppContext.BaseDirectory, "Receiver.Sender.dll"), "mirror", "--legacy-plain", "--host", "127.0.0.1",
            "--mirror-port", Port(host.MirrorPort), "--legacy-timing-port", Port(timingPort), "--input", mp4, "--fast",
            "--sessions", "2", "--vectors", SenderTestMedia.VectorsFolder, "--json", json,
        ]);

        Assert.True(code == 0, text);
        var summary = await File.ReadAllTextAsync(json, cts.Token);
        Assert.Contains("\"sessionsOk\": 2", summary, StringComparison.Ordinal);
        Assert.Contains("\"frames\": 60", summary, StringComparison.Ordinal);
        var started = new List<SessionStartedEvent>();
        while (events.Reader.TryRead(out var e))
        {
            if (e is SessionStartedEvent s)
            {
                started.Add(s);
            }
        }

        Assert.Equal(2, started.Count);
        Assert.All(started, s => Assert.Equal("legacy", s.Protocol));
        Assert.Equal(2, started.Select(s => s.Sender.DeviceId).Distinct().Count());
    }

    [Fact]
    public async Task Cli_LegacyWithH265_IsRefusedWithExitCode2()
    {
        var (code, text) = await ExternalTools.RunAsync("dotnet",
        [
            Path.Combine(AppContext.BaseDirectory, "Receiver.Sender.dll"), "mirror", "--legacy", "--codec", "h265", "--vectors", SenderTestMedia.VectorsFolder,
        ]);

        Assert.Equal(2, code);
        Assert.Contains("H.264 only", text, StringComparison.Ordinal);
    }

    [ChromiumFact]
    public async Task Viewer_LegacySession_ShowsLivePatternInChromium()
    {
        Assert.True(ExternalTools.Exists("ffmpeg"), "ffmpeg is required for the live pattern (./test.sh installs it)");
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await using var timing = new LegacyTimingResponder(IPAddress.Loopback, 0);
        await using var host = await StartHostAsync(timing.Port);
        var options = Options(host, VideoSourceSpec.ParsePattern("640x360@30"), plain: false);
        var run = new LegacySenderSession(options with { Sender = options.Sender with { Fast = false, Seconds = 8 } }, timing).RunAsync(cts.Token);
        var session = await WaitForLegacySessionAsync(host, run);
        var page = new ViewerPage(await chromium.NewPageAsync());

        await page.Page.GotoAsync(new Uri(host.WebUrl, $"/view/{session.Id}").ToString());
        var shown = await page.WaitAsync(s => s.FramesPresented > 10 && s.Width == 640, TimeSpan.FromSeconds(20), "legacy-view");
        await page.ScreenshotAsync("legacy-view");
        var result = await run;

        output.WriteLine($"viewer: {shown}");
        Assert.Equal((640, 360), (shown.Width, shown.Height));
        Assert.True(result.Ok, result.Error);
        await page.Page.Context.CloseAsync();
    }

    private async Task ClipFastAsync(bool plain)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        using var temp = new SenderTempDirectory(plain ? "legacy-plain" : "legacy-fp");
        var (mp4, annexB) = await H264Clip.WriteFilesAsync(temp.Path, 640, 360, 2);
        var dumpDirectory = Path.Combine(temp.Path, "dump");
        await using var timing = new LegacyTimingResponder(IPAddress.Loopback, 0);
        await using var host = await StartHostAsync(timing.Port, dumpDirectory);
        using var events = host.Events.Subscribe();
        var options = Options(host, VideoSourceSpec.ForFile(mp4, 30), plain);
        var session = new LegacySenderSession(options with { Sender = options.Sender with { DumpSentPath = Path.Combine(temp.Path, "sent.h264") } }, timing);

        var result = await session.RunAsync(cts.Token);

        Assert.True(result.Ok, result.Error);
        Assert.All(result.Steps, s => Assert.True(s.Ok, s.Name + ": " + s.Detail));
        Assert.Equal(!plain, result.Steps.Any(s => s.Name == "fp-setup-3" && s.Status == 200));
        Assert.Equal(60, result.FramesSent);
        Assert.Equal(["640x360"], result.Formats);
        var started = Assert.IsType<SessionStartedEvent>(await events.Reader.ReadAsync(cts.Token));
        Assert.Equal(("legacy", session.DeviceId), (started.Protocol, started.Sender.DeviceId));
        await Eventually.TrueAsync(() => host.Sessions.Count == 0);
        var dump = SenderTestMedia.SingleDump(dumpDirectory);
        Assert.Equal(Slices(annexB), Slices(dump));
        Assert.Equal(SenderTestMedia.NalUnits(Path.Combine(temp.Path, "sent.h264")), SenderTestMedia.NalUnits(dump));
        Assert.Equal((640, 360, 60), await SenderTestMedia.ProbeAsync(dump));
    }

    private static IReadOnlyList<string> Slices(string annexB) =>
        [.. AnnexB.SplitNalUnits(File.ReadAllBytes(annexB)).Where(n => n.Length > 0 && (n.Span[0] & 0x1F) is 1 or 5).Select(n => Convert.ToHexString(n.Span))];

    private static async Task<MirroringSession> WaitForLegacySessionAsync(ReceiverHost host, Task<SenderResult> run)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            if (host.Sessions.Sessions.FirstOrDefault(s => s.Protocol == "legacy") is { } session)
            {
                return session;
            }

            if (run.IsCompleted)
            {
                var result = await run;
                Assert.Fail($"the sender finished before a legacy session was listed: {result.Error}");
            }

            Assert.True(DateTime.UtcNow < deadline, "no legacy session listed within 30 s");
            await Task.Delay(20);
        }
    }

    private static int FreeUdpPort()
    {
        using var probe = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.Client.LocalEndPoint!).Port;
    }
}
