using System.Globalization;
using Receiver.Sender.Sessions;
using Receiver.Sender.Video;
using Receiver.Web.Tests.Infrastructure;

namespace Receiver.Web.Tests.Sender;

/// <summary>Test vectors for the sender tests, and ffprobe readings of what a receiver dumped.</summary>
internal static class SenderTestMedia
{
    public static string VectorsFolder => TestPaths.Vectors;

    public static string FairPlayFile => FairPlayVectors.File;

    public static string AudioFrames => Path.Combine(TestPaths.Vectors, "audio", "sinesweep_2ch_48khz_aot39_fl480_mp4.frames");

    /// <summary>A real-time 320x240@30 pattern with the AAC-ELD sweep, for <paramref name="seconds"/>, to the receiver's control port.</summary>
    public static SenderOptions LiveAudioOptions(int controlPort, int seconds) => new()
    {
        Host = "127.0.0.1",
        Port = controlPort,
        Video = VideoSourceSpec.ParsePattern("320x240@30"),
        Seconds = seconds,
        Fast = false,
        Audio = true,
        FairPlayFile = FairPlayFile,
        AudioFramesFile = AudioFrames,
    };

    /// <summary>ffprobe's width, height and decoded frame count of the first video stream.</summary>
    public static async Task<(int Width, int Height, int Frames)> ProbeAsync(string file)
    {
        var (code, output) = await ExternalTools.RunFfmpegAsync("ffprobe",
            ["-v", "error", "-count_frames", "-select_streams", "v:0", "-show_entries", "stream=width,height,nb_read_frames", "-of", "csv=p=0", file]);
        Assert.True(code == 0, output);
        var parts = output.Trim().Split(',');
        return (int.Parse(parts[0], CultureInfo.InvariantCulture), int.Parse(parts[1], CultureInfo.InvariantCulture), int.Parse(parts[2], CultureInfo.InvariantCulture));
    }

    /// <summary>The distinct frame sizes ffprobe decodes from <paramref name="file"/>, in order of appearance.</summary>
    public static async Task<IReadOnlyList<string>> FrameSizesAsync(string file)
    {
        var (code, output) = await ExternalTools.RunFfmpegAsync("ffprobe", ["-v", "error", "-select_streams", "v:0", "-show_entries", "frame=width,height", "-of", "csv=p=0", file]);
        Assert.True(code == 0, output);
        return [.. output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(l => string.Join('x', l.Split(',', StringSplitOptions.RemoveEmptyEntries).Take(2))).Distinct()];
    }

    /// <summary>The NAL units of an Annex-B file as hex strings (empty NAL units are not counted).</summary>
    public static IReadOnlyList<string> NalUnits(string file) =>
        [.. Receiver.Core.Media.AnnexB.SplitNalUnits(File.ReadAllBytes(file)).Where(n => n.Length > 0).Select(n => Convert.ToHexString(n.Span))];

    public static string SingleDump(string directory, string extension = ".h264")
    {
        var files = Directory.GetFiles(directory, "*" + extension, SearchOption.AllDirectories);
        Assert.True(files.Length == 1, $"expected one {extension} dump in {directory}, found {files.Length}");
        return files[0];
    }
}
