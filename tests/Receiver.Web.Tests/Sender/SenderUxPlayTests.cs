using Receiver.Core.Media;
using Receiver.Web.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Receiver.Web.Tests.Sender;

/// <summary>
/// Validates the sender simulator against UxPlay 1.62, an independent receiver: both run inside a private network
/// namespace holding only loopback, and UxPlay's decrypted video dump must equal what the simulator sent.
/// </summary>
[Collection(SerialCollection.Name)]
public sealed class SenderUxPlayTests(ITestOutputHelper output)
{
    [UxPlayFact]
    public async Task Mirror_H264ClipWithPairing_UxPlayDumpEqualsSentNalUnits()
    {
        using var temp = new SenderTempDirectory("uxplay");
        var dir = temp.Path;
        var (_, annexB) = await H264Clip.WriteFilesAsync(dir, 640, 360, 3);
        var work = Path.Combine(dir, "run");
        var sent = Path.Combine(work, "sent.h264");
        var script = Path.Combine(TestPaths.RepositoryRoot, "tests", "Receiver.Web.Tests", "Sender", "uxplay-netns-run.sh");

        // Paced in real time, as a phone sends: UxPlay stops reading the mirror socket at TEARDOWN, so a burst
        // sent faster than it reads would be cut short and the dumps would differ for a reason that is not ours.
        var (code, scriptOutput) = await ExternalTools.RunAsync("bash",
        [
            script, work, "47000",
            "dotnet", Path.Combine(AppContext.BaseDirectory, "Receiver.Sender.dll"), "mirror", "--host", "127.0.0.1", "--port", "{PORT}",
            "--input", annexB, "--pairing", "auto", "--name", "Simulated iPhone", "--vectors", SenderTestMedia.VectorsFolder,
            "--dump-sent", sent,
        ], TimeSpan.FromMinutes(3));

        var senderOutput = ReadOrEmpty(Path.Combine(work, "sender.out"));
        var uxplayLog = ReadOrEmpty(Path.Combine(work, "uxplay.log"));
        output.WriteLine(scriptOutput);
        output.WriteLine("--- sender ---\n" + senderOutput);
        output.WriteLine("--- uxplay ---\n" + uxplayLog);
        Assert.True(code == 0, scriptOutput);
        Assert.Equal("0", ReadOrEmpty(Path.Combine(work, "sender-exit.txt")).Trim());
        Assert.Contains("pair-verify-2", senderOutput, StringComparison.Ordinal);

        var dumped = SenderTestMedia.NalUnits(Path.Combine(work, "uxdump.h264"));
        var sentNal = SenderTestMedia.NalUnits(sent);
        var sourceVideo = SenderTestMedia.NalUnits(annexB).Where(IsVideo).ToList();
        output.WriteLine($"UxPlay dumped {dumped.Count} NAL units, the simulator sent {sentNal.Count} ({sourceVideo.Count} video NAL units in the source); first difference at index {FirstDifference(sentNal, dumped)}");
        Assert.Equal(sentNal, dumped);
        Assert.Equal(sourceVideo, dumped.Where(IsVideo));
        Assert.DoesNotContain("unexpected", uxplayLog, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("does not match", uxplayLog, StringComparison.Ordinal);
    }

    [UxPlayFact]
    public async Task Mirror_RealTimeRotatingPatternWithAudio_UxPlayAcceptsEverything()
    {
        using var temp = new SenderTempDirectory("uxplay-live");
        var dir = temp.Path;
        var work = Path.Combine(dir, "run");
        var sent = Path.Combine(work, "sent.h264");
        var script = Path.Combine(TestPaths.RepositoryRoot, "tests", "Receiver.Web.Tests", "Sender", "uxplay-netns-run.sh");

        var (code, scriptOutput) = await ExternalTools.RunAsync("bash",
        [
            script, work, "47100",
            "dotnet", Path.Combine(AppContext.BaseDirectory, "Receiver.Sender.dll"), "mirror", "--host", "127.0.0.1", "--port", "{PORT}",
            "--pattern", "640x360@30", "--seconds", "3", "--rotate-at", "1.5", "--audio", "--vectors", SenderTestMedia.VectorsFolder, "--dump-sent", sent,
        ], TimeSpan.FromMinutes(3));

        var senderOutput = ReadOrEmpty(Path.Combine(work, "sender.out"));
        var uxplayLog = ReadOrEmpty(Path.Combine(work, "uxplay.log"));
        output.WriteLine("--- sender ---\n" + senderOutput);
        output.WriteLine("--- uxplay ---\n" + uxplayLog);
        Assert.True(code == 0, scriptOutput);
        Assert.Equal("0", ReadOrEmpty(Path.Combine(work, "sender-exit.txt")).Trim());
        Assert.Contains("teardown-audio", senderOutput, StringComparison.Ordinal);
        Assert.Contains("raop_rtp starting audio", uxplayLog, StringComparison.Ordinal);
        Assert.DoesNotContain("unexpected", uxplayLog, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(SenderTestMedia.NalUnits(sent), SenderTestMedia.NalUnits(Path.Combine(work, "uxdump.h264")));
        Assert.Equal(["640x360", "360x640"], await SenderTestMedia.FrameSizesAsync(Path.Combine(work, "uxdump.h264")));
    }

    private static bool IsVideo(string hex) => !AnnexB.IsParameterSet(Convert.FromHexString(hex[..2]), VideoCodec.H264);

    private static int FirstDifference(IReadOnlyList<string> a, IReadOnlyList<string> b)
    {
        var i = 0;
        while (i < a.Count && i < b.Count && a[i] == b[i])
        {
            i++;
        }

        return i == a.Count && i == b.Count ? -1 : i;
    }

    private static string ReadOrEmpty(string path) => File.Exists(path) ? File.ReadAllText(path) : string.Empty;
}
