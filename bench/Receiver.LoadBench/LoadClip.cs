using System.Globalization;
using Receiver.Core.Media;

namespace Receiver.LoadBench;

/// <summary>
/// A pre-encoded clip the simulated senders send, so that they cost no encoder: ffmpeg's testsrc2 pattern encoded
/// once as a phone encodes its screen (H.264 High, no B-frames, an IDR every 2 s, constant bit rate) into
/// <c>bench/.cache</c>, named like the viewer benchmark's clips so both share a cache.
/// </summary>
public sealed record LoadClip(string Name, int Width, int Height, int Fps, int KilobitsPerSecond)
{
    public static LoadClip Named(string name) => name switch
    {
        "1080p60" => new LoadClip(name, 1920, 1080, 60, 20_000),
        "720p60" => new LoadClip(name, 1280, 720, 60, 8_000),
        _ => throw new FormatException($"unknown clip {name}"),
    };

    public string Describe() => string.Create(CultureInfo.InvariantCulture, $"{Width}x{Height}@{Fps} {KilobitsPerSecond / 1000} Mbit/s");

    public async Task<string> EnsureAsync(string cacheDirectory, int seconds, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(cacheDirectory);
        var path = Path.Combine(cacheDirectory, string.Create(CultureInfo.InvariantCulture, $"testsrc2-{Width}x{Height}@{Fps}-{KilobitsPerSecond}k-{seconds}s.h264"));
        if (File.Exists(path) && new FileInfo(path).Length > 0)
        {
            return path;
        }

        var ffmpeg = FfmpegProcess.Locate("ffmpeg") ?? throw new InvalidOperationException("ffmpeg is not installed");
        var bitrate = string.Create(CultureInfo.InvariantCulture, $"{KilobitsPerSecond}k");
        var partial = path + ".partial";
        string[] arguments =
        [
            "-hide_banner", "-loglevel", "error", "-y",
            "-f", "lavfi", "-i", string.Create(CultureInfo.InvariantCulture, $"testsrc2=size={Width}x{Height}:rate={Fps}"),
            "-t", seconds.ToString(CultureInfo.InvariantCulture),
            "-c:v", "libx264", "-preset", "veryfast", "-tune", "zerolatency", "-profile:v", "high", "-pix_fmt", "yuv420p",
            "-bf", "0", "-g", (Fps * 2).ToString(CultureInfo.InvariantCulture),
            "-b:v", bitrate, "-maxrate", bitrate, "-bufsize", string.Create(CultureInfo.InvariantCulture, $"{KilobitsPerSecond / 2}k"),
            "-f", "h264", partial,
        ];
        await Console.Error.WriteLineAsync($"encoding {Path.GetFileName(path)} (once)…");
        var result = await FfmpegProcess.RunToCompletionAsync(ffmpeg, arguments, ReadOnlyMemory<byte>.Empty, TimeSpan.FromMinutes(30), TimeProvider.System, cancellationToken);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"ffmpeg failed ({result.ExitCode}): {result.Error}");
        }

        File.Move(partial, path, overwrite: true);
        return path;
    }
}
