using System.Globalization;
using Receiver.Core.Media;

namespace Receiver.Sender.Casting;

/// <summary>The video a simulated phone casts: an MP4 made by ffmpeg (a moving test pattern and a tone), seekable to every half second.</summary>
public static class CastClip
{
    /// <summary>Writes <c>clip.mp4</c> of <paramref name="seconds"/> into <paramref name="folder"/> and returns its path.</summary>
    public static async Task<string> WriteMp4Async(string folder, double seconds = 20, CancellationToken cancellationToken = default)
    {
        var ffmpeg = FfmpegProcess.Locate("ffmpeg") ?? throw new InvalidOperationException("ffmpeg is not on PATH");
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, "clip.mp4");
        var length = seconds.ToString("0.###", CultureInfo.InvariantCulture);
        string[] arguments =
        [
            "-hide_banner", "-loglevel", "error", "-y",
            "-f", "lavfi", "-i", $"testsrc2=size=640x360:rate=30:duration={length}",
            "-f", "lavfi", "-i", $"sine=frequency=440:duration={length}",
            "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-g", "15", "-keyint_min", "15",
            "-c:a", "aac", "-b:a", "64k", "-movflags", "+faststart", "-shortest", path,
        ];
        var result = await FfmpegProcess.RunToCompletionAsync(ffmpeg, arguments, ReadOnlyMemory<byte>.Empty, TimeSpan.FromMinutes(2), TimeProvider.System, cancellationToken);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"ffmpeg could not make the cast clip: {result.Error}");
        }

        return path;
    }
}
