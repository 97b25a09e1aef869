using Microsoft.Extensions.DependencyInjection;
using Receiver.Core.Media;
using Receiver.Core.Sessions;
using Receiver.Sender.Sessions;
using Receiver.Sender.Video;
using Receiver.Web.Tests.Infrastructure;

namespace Receiver.Web.Tests.Sender;

/// <summary>The sender simulator against our own receiver host on loopback, checked through the receiver's video dump.</summary>
[Collection(SerialCollection.Name)]
public sealed class SenderEndToEndTests
{
    private static SenderOptions Options(ReceiverHost host, VideoSourceSpec video) => new()
    {
        Host = "127.0.0.1",
        Port = host.ControlPort,
        Video = video,
        Fast = true,
        FairPlayFile = SenderTestMedia.FairPlayFile,
        AudioFramesFile = SenderTestMedia.AudioFrames,
    };

    [FfmpegFact]
    public async Task Mirror_H264ClipFast_DumpEqualsSourceNalUnits()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        using var temp = new SenderTempDirectory("e2e");
        var dir = temp.Path;
        var (mp4, annexB) = await H264Clip.WriteFilesAsync(dir, 640, 360, 2);
        var dumpDir = Path.Combine(dir, "dump");
        await using var host = await ReceiverHost.StartAsync($"--Receiver:Diagnostics:DumpVideoDirectory={dumpDir}");

        var result = await new AirPlaySenderSession(Options(host, VideoSourceSpec.ForFile(mp4, 30)) with { DumpSentPath = Path.Combine(dir, "sent.h264") })
            .RunAsync(cts.Token);

        Assert.True(result.Ok, result.Error);
        Assert.Equal(60, result.FramesSent);
        Assert.All(result.Steps, s => Assert.True(s.Ok, s.Name + ": " + s.Detail));
        await WaitForSessionEndAsync(host);
        var dump = SenderTestMedia.SingleDump(dumpDir);
        var source = SenderTestMedia.NalUnits(annexB);
        var received = SenderTestMedia.NalUnits(dump);
        Assert.Equal(SenderTestMedia.NalUnits(Path.Combine(dir, "sent.h264")), received);
        Assert.Equal(source.Where(IsVideoNal), received.Where(IsVideoNal));
        Assert.Equal((640, 360, 60), await SenderTestMedia.ProbeAsync(dump));
    }

    [FfmpegFact]
    public async Task Mirror_LegacyPairingOnPairingReceiver_StreamsWholeClip()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        using var temp = new SenderTempDirectory("legacy");
        var dir = temp.Path;
        var (_, annexB) = await H264Clip.WriteFilesAsync(dir, 320, 180, 1);
        var dumpDir = Path.Combine(dir, "dump");
        await using var host = await ReceiverHost.StartAsync("--Receiver:RequirePairing=true", $"--Receiver:Diagnostics:DumpVideoDirectory={dumpDir}");

        var result = await new AirPlaySenderSession(Options(host, VideoSourceSpec.ForFile(annexB, 30)) with { Pairing = PairingMode.Legacy })
            .RunAsync(cts.Token);

        Assert.True(result.Ok, result.Error);
        Assert.Contains(result.Steps, s => s.Name == "pair-verify-2" && s.Status == 200);
        await WaitForSessionEndAsync(host);
        Assert.Equal((320, 180, 30), await SenderTestMedia.ProbeAsync(SenderTestMedia.SingleDump(dumpDir)));
    }

    [FfmpegFact]
    public async Task Mirror_NoPairingOnPairingReceiver_FailsNamingTheStep()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        using var temp = new SenderTempDirectory("nopair");
        var dir = temp.Path;
        var (_, annexB) = await H264Clip.WriteFilesAsync(dir, 320, 180, 0.5);
        await using var host = await ReceiverHost.StartAsync("--Receiver:RequirePairing=true");

        var result = await new AirPlaySenderSession(Options(host, VideoSourceSpec.ForFile(annexB, 30)) with { Pairing = PairingMode.None })
            .RunAsync(cts.Token);

        Assert.False(result.Ok);
        var failed = Assert.Single(result.Steps, s => !s.Ok);
        Assert.Contains($"step '{failed.Name}'", result.Error, StringComparison.Ordinal);
        Assert.Equal(0, result.FramesSent);
    }

    [FfmpegFact]
    public async Task Mirror_FiveSessionsFast_AllOk()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        using var temp = new SenderTempDirectory("multi");
        var dir = temp.Path;
        var (_, annexB) = await H264Clip.WriteFilesAsync(dir, 320, 180, 1);
        await using var host = await ReceiverHost.StartAsync();

        var summary = await MultiSessionRunner.RunAsync(Options(host, VideoSourceSpec.ForFile(annexB, 30)), 5, cts.Token);

        Assert.True(summary.Ok, string.Join("; ", summary.Sessions.Select(s => s.Error)));
        Assert.Equal(5, summary.Sessions.Select(s => s.DeviceId).Distinct().Count());
        Assert.Equal(150, summary.TotalFrames);
        Assert.Contains("\"sessionsOk\": 5", summary.ToJson(), StringComparison.Ordinal);
    }

    [FfmpegFact]
    public async Task Mirror_RotatingPattern_DumpShowsBothSizes()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        using var temp = new SenderTempDirectory("rotate");
        var dir = temp.Path;
        var dumpDir = Path.Combine(dir, "dump");
        await using var host = await ReceiverHost.StartAsync($"--Receiver:Diagnostics:DumpVideoDirectory={dumpDir}");
        var video = VideoSourceSpec.ParsePattern("320x240@30") with { RotateAt = 1 };

        var result = await new AirPlaySenderSession(Options(host, video) with { Seconds = 2 }).RunAsync(cts.Token);

        Assert.True(result.Ok, result.Error);
        Assert.Equal(["320x240", "240x320"], result.Formats);
        await WaitForSessionEndAsync(host);
        Assert.Equal(["320x240", "240x320"], await SenderTestMedia.FrameSizesAsync(SenderTestMedia.SingleDump(dumpDir)));
    }

    [FfmpegFact]
    public async Task Mirror_H265PatternWithAudio_ReceiverDumpsHevc()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        using var temp = new SenderTempDirectory("hevc");
        var dir = temp.Path;
        var dumpDir = Path.Combine(dir, "dump");
        await using var host = await ReceiverHost.StartAsync($"--Receiver:Diagnostics:DumpVideoDirectory={dumpDir}");
        var video = VideoSourceSpec.ParsePattern("320x240@30");

        var result = await new AirPlaySenderSession(Options(host, video) with { Seconds = 1, Codec = VideoCodec.H265, Audio = true, Fast = false })
            .RunAsync(cts.Token);

        Assert.True(result.Ok, result.Error);
        Assert.True(result.AudioPacketsSent > 50, $"{result.AudioPacketsSent} audio packets");
        Assert.Contains(result.Steps, s => s.Name == "setup-audio" && s.Ok);
        Assert.Contains(result.Steps, s => s.Name == "teardown-audio" && s.Ok);
        await WaitForSessionEndAsync(host);
        Assert.Equal((320, 240, 30), await SenderTestMedia.ProbeAsync(SenderTestMedia.SingleDump(dumpDir, ".h265")));
    }

    [FfmpegFact]
    public async Task Cli_MirrorClip_ExitsZeroAndWritesJson()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        using var temp = new SenderTempDirectory("cli");
        var dir = temp.Path;
        var (mp4, _) = await H264Clip.WriteFilesAsync(dir, 320, 180, 1);
        await using var host = await ReceiverHost.StartAsync();
        var json = Path.Combine(dir, "summary.json");

        var (code, output) = await ExternalTools.RunAsync("dotnet",
        [
            Path.Combine(AppContext.BaseDirectory, "Receiver.Sender.dll"), "mirror", "--host", "127.0.0.1", "--port", host.ControlPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--input", mp4, "--fast", "--name", "CLI iPhone", "--vectors", SenderTestMedia.VectorsFolder, "--json", json,
        ]);

        Assert.True(code == 0, output);
        Assert.Contains("teardown", output, StringComparison.Ordinal);
        Assert.Contains("\"framesSent\": 30", await File.ReadAllTextAsync(json, cts.Token), StringComparison.Ordinal);
    }

    private static bool IsVideoNal(string hex) => !AnnexB.IsParameterSet(Convert.FromHexString(hex[..2]), VideoCodec.H264);

    /// <summary>
    /// Waits for the session to end and for the receiver's dumps to stop growing: the data connection may still be
    /// read for a moment after TEARDOWN.
    /// </summary>
    private static async Task WaitForSessionEndAsync(ReceiverHost host)
    {
        for (var i = 0; i < 200 && host.Sessions.Count > 0; i++)
        {
            await Task.Delay(50);
        }

        var dumpDirectory = host.App.Services.GetRequiredService<Receiver.Web.Hosting.ReceiverRuntime>().Settings.DumpVideoDirectory;
        if (dumpDirectory is null)
        {
            return;
        }

        // A data connection still being recognised when the session ended may claim its stream within the
        // registry's late-claim window and write what was sent before the TEARDOWN.
        var ended = System.Diagnostics.Stopwatch.StartNew();
        while (!Directory.Exists(dumpDirectory) && ended.Elapsed < SessionRegistry.LateClaimWindow + TimeSpan.FromSeconds(1))
        {
            await Task.Delay(50);
        }

        if (!Directory.Exists(dumpDirectory))
        {
            return;
        }

        long Size() => Directory.GetFiles(dumpDirectory).Sum(f => new FileInfo(f).Length);
        var last = -1L;
        for (var i = 0; i < 60; i++)
        {
            var now = Size();
            if (now == last)
            {
                return;
            }

            last = now;
            await Task.Delay(250);
        }
    }
}
