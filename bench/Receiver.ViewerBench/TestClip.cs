using Receiver.Core.Media;

namespace Receiver.ViewerBench;

/// <summary>
/// The pre-encoded clip the simulator sends in real time: ffmpeg's testsrc2 pattern encoded once as a phone encodes
/// its screen (H.264 High, no B-frames, an IDR every 2 s, constant bit rate), kept in a cache directory.
/// </summary>
public static class TestClip
{
    public const int Seconds = 45;

    public static async Task<string> EnsureAsync(string cacheDirectory, ClipSize size, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(cacheDirectory);
        var path = Path.Combine(cacheDirectory, $"testsrc2-{size.Width}x{size.Height}@{size.Fps}-{size.KilobitsPerSecond}k-{Seconds}s.h264");
        if (File.Exists(path) && new FileInfo(path).Length > 0)
        {
            return path;
        }

        var ffmpeg = FfmpegProcess.Locate("ffmpeg") ?? throw new InvalidOperationException("ffmpeg is not installed");
        var bitrate = $"{size.KilobitsPerSecond}k";
        var partial = path + ".partial";
        string[] arguments =
        [
            "-hide_banner", "-loglevel", "error", "-y",
            "-f", "lavfi", "-i", $"testsrc2=size={size.Width}x{size.Height}:rate={size.Fps}",
            "-t", Seconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "-c:v", "libx264", "-preset", "veryfast", "-tune", "zerolatency", "-profile:v", "high", "-pix_fmt", "yuv420p",
            "-bf", "0", "-g", (size.Fps * 2).ToString(System.Globalization.CultureInfo.InvariantCulture),
            "-b:v", bitrate, "-maxrate", bitrate, "-bufsize", $"{size.KilobitsPerSecond / 2}k",
            "-f", "h264", partial,
        ];
        Console.Error.WriteLine($"encoding {Path.GetFileName(path)} (once)…");
        var result = await FfmpegProcess.RunToCompletionAsync(ffmpeg, arguments, ReadOnlyMemory<byte>.Empty, TimeSpan.FromMinutes(10), TimeProvider.System, cancellationToken);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"ffmpeg failed ({result.ExitCode}): {result.Error}");
        }

        File.Move(partial, path, overwrite: true);
        return path;
    }
}
