using System.Globalization;
using System.Text;
using Receiver.Core.Media;

namespace Receiver.WebRtcBench;

/// <summary>
/// A pre-encoded clip whose pictures carry their own frame number: ffmpeg's testsrc2 pattern with a code strip in the
/// top-left corner, 16 blocks of <see cref="Block"/> pixels for the frame number's bits (white = 1) and below them the
/// same bits inverted, so a reader can tell a whole code from a damaged picture. Encoded once (H.264 High as a phone
/// encodes its screen: no B-frames, an IDR every 2 s, constant bit rate) into a cache directory.
/// </summary>
public static class CodedClip
{
    public const int Bits = 16;
    public const int Block = 40;

    public static async Task<string> EnsureAsync(string cacheDirectory, int width, int height, int fps, int kilobitsPerSecond, int seconds, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(cacheDirectory);
        var path = Path.Combine(cacheDirectory, string.Create(CultureInfo.InvariantCulture, $"coded-{width}x{height}@{fps}-{kilobitsPerSecond}k-{seconds}s.h264"));
        if (File.Exists(path) && new FileInfo(path).Length > 0)
        {
            return path;
        }

        var filter = new StringBuilder(string.Create(CultureInfo.InvariantCulture, $"testsrc2=size={width}x{height}:rate={fps}"));
        filter.Append(CultureInfo.InvariantCulture, $",drawbox=x=0:y=0:w={Bits * Block}:h={2 * Block}:color=black:t=fill");
        for (var bit = 0; bit < Bits; bit++)
        {
            var divisor = 1 << bit;
            filter.Append(CultureInfo.InvariantCulture, $",drawbox=x={bit * Block}:y=0:w={Block}:h={Block}:color=white:t=fill:enable='mod(floor(n/{divisor}),2)'");
            filter.Append(CultureInfo.InvariantCulture, $",drawbox=x={bit * Block}:y={Block}:w={Block}:h={Block}:color=white:t=fill:enable='1-mod(floor(n/{divisor}),2)'");
        }

        var ffmpeg = FfmpegProcess.Locate("ffmpeg") ?? throw new InvalidOperationException("ffmpeg is not installed");
        var bitrate = string.Create(CultureInfo.InvariantCulture, $"{kilobitsPerSecond}k");
        var partial = path + ".partial";
        string[] arguments =
        [
            "-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i", filter.ToString(),
            "-t", seconds.ToString(CultureInfo.InvariantCulture),
            "-c:v", "libx264", "-preset", "veryfast", "-tune", "zerolatency", "-profile:v", "high", "-pix_fmt", "yuv420p",
            "-bf", "0", "-g", (fps * 2).ToString(CultureInfo.InvariantCulture),
            "-b:v", bitrate, "-maxrate", bitrate, "-bufsize", string.Create(CultureInfo.InvariantCulture, $"{kilobitsPerSecond / 2}k"),
            "-f", "h264", partial,
        ];
        Console.Error.WriteLine($"encoding {Path.GetFileName(path)} (once)…");
        var result = await FfmpegProcess.RunToCompletionAsync(ffmpeg, arguments, ReadOnlyMemory<byte>.Empty, TimeSpan.FromMinutes(20), TimeProvider.System, cancellationToken);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"ffmpeg failed ({result.ExitCode}): {result.Error}");
        }

        File.Move(partial, path, overwrite: true);
        return path;
    }
}
