using Receiver.Core.Media;
using Receiver.Tests;
using Xunit.Sdk;

namespace Receiver.Core.Tests.Media;

/// <summary>Runs the ffmpeg and ffprobe command-line tools for media round-trip tests.</summary>
internal static class Ffmpeg
{
    private static readonly Lazy<bool> Available = new(() => FfmpegProcess.Locate("ffmpeg") is not null && FfmpegProcess.Locate("ffprobe") is not null);

    public static bool IsAvailable => Available.Value;

    public static (int ExitCode, string Stdout, string Stderr) Run(string tool, params string[] arguments)
    {
        var result = FfmpegPipe.RunTool(tool, ReadOnlyMemory<byte>.Empty, TimeSpan.FromMinutes(2), arguments);
        return (result.ExitCode, result.OutputText, result.Error);
    }

    /// <summary>Encodes a test pattern to a raw Annex B elementary stream and returns its bytes.</summary>
    public static byte[] EncodeTestPattern(string directory, VideoCodecName codec, int width, int height, int frames, int gop)
    {
        var output = Path.Combine(directory, $"pattern-{codec}-{width}x{height}.{(codec == VideoCodecName.H264 ? "h264" : "h265")}");
        var args = new List<string> { "-v", "error", "-y", "-f", "lavfi", "-i", $"testsrc2=size={width}x{height}:rate=30", "-frames:v", frames.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        if (codec == VideoCodecName.H264)
        {
            args.AddRange(["-c:v", "libx264", "-preset", "veryfast", "-profile:v", "high", "-bf", "0", "-g", gop.ToString(System.Globalization.CultureInfo.InvariantCulture), "-pix_fmt", "yuv420p", "-f", "h264"]);
        }
        else
        {
            args.AddRange(["-c:v", "libx265", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-x265-params", $"log-level=error:bframes=0:keyint={gop}:min-keyint={gop}:scenecut=0", "-f", "hevc"]);
        }

        args.Add(output);
        var result = Run("ffmpeg", [.. args]);
        Assert.True(result.ExitCode == 0, result.Stderr);
        return File.ReadAllBytes(output);
    }
}

internal enum VideoCodecName
{
    H264,
    H265,
}

/// <summary>A fact that is skipped when ffmpeg/ffprobe are not installed.</summary>
[TraitDiscoverer("Receiver.Tests.LaneDiscoverer", "Receiver.Core.Tests")]
internal sealed class FfmpegFactAttribute : FactAttribute, ITraitAttribute, ITestLane
{
    /// <summary>The lane of the tests this attribute marks.</summary>
    public string Lane => TestLanes.External;

    public FfmpegFactAttribute()
    {
        if (!Ffmpeg.IsAvailable)
        {
            Skip = "ffmpeg and ffprobe are not on PATH";
        }
    }
}

/// <summary>A theory that is skipped when ffmpeg/ffprobe are not installed.</summary>
[TraitDiscoverer("Receiver.Tests.LaneDiscoverer", "Receiver.Core.Tests")]
internal sealed class FfmpegTheoryAttribute : TheoryAttribute, ITraitAttribute, ITestLane
{
    /// <summary>The lane of the tests this attribute marks.</summary>
    public string Lane => TestLanes.External;

    public FfmpegTheoryAttribute()
    {
        if (!Ffmpeg.IsAvailable)
        {
            Skip = "ffmpeg and ffprobe are not on PATH";
        }
    }
}
