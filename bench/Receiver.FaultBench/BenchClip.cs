using System.Globalization;
using Receiver.Core.Media;

namespace Receiver.FaultBench;

/// <summary>An H.264 test pattern encoded once (no B-frames, a keyframe every second) and kept in the bench cache, so senders cost no encoder.</summary>
public static class BenchClip
{
    public static async Task<string> EnsureAsync(string cacheDirectory, int width, int height, int kilobitsPerSecond, int seconds, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(cacheDirectory);
        var path = Path.Combine(cacheDirectory, string.Create(CultureInfo.InvariantCulture, $"testsrc2-{width}x{height}@30-{kilobitsPerSecond}k-{seconds}s.h264"));
        if (File.Exists(path) && new FileInfo(path).Length > 0)
        {
            return path;
        }

        var ffmpeg = FfmpegProcess.Locate("ffmpeg") ?? throw new InvalidOperationException("ffmpeg is not installed");
        var partial = path + ".partial";
        var rate = string.Create(CultureInfo.InvariantCulture, $"{kilobitsPerSecond}k");
        string[] arguments =
        [
            "-hide_banner", "-loglevel", "error", "-y",
            "-f", "lavfi", "-i", string.Create(CultureInfo.InvariantCulture, $"testsrc2=size={width}x{height}:rate=30"),
            "-t", seconds.ToString(CultureInfo.InvariantCulture),
            "-c:v", "libx264", "-preset", "veryfast", "-tune", "zerolatency", "-pix_fmt", "yuv420p", "-bf", "0", "-g", "30",
            "-b:v", rate, "-maxrate", rate, "-bufsize", rate, "-f", "h264", partial,
        ];
        var result = await FfmpegProcess.RunToCompletionAsync(ffmpeg, arguments, ReadOnlyMemory<byte>.Empty, TimeSpan.FromMinutes(5), TimeProvider.System, cancellationToken);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"ffmpeg failed ({result.ExitCode}): {result.Error}");
        }

        File.Move(partial, path, overwrite: true);
        return path;
    }
}
