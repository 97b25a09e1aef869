using System.Globalization;
using System.Runtime.CompilerServices;
using Receiver.Core.Media;

namespace Receiver.Sender.Video;

/// <summary>
/// Runs ffmpeg and reads the Annex-B elementary stream it writes to stdout: either a container file copied without
/// re-encoding, or a live test pattern encoded with libx264/libx265 (no B-frames, a keyframe every 2 s).
/// </summary>
public sealed class FfmpegVideoSource : IVideoSource
{
    private const string FontFile = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";

    private readonly IReadOnlyList<string> _arguments;
    private readonly VideoCodec _codec;
    private FfmpegProcess? _process;

    private FfmpegVideoSource(IReadOnlyList<string> arguments, VideoCodec codec, double frameRate)
    {
        _arguments = arguments;
        _codec = codec;
        FrameRate = frameRate;
    }

    public double FrameRate { get; }

    /// <summary>The ffmpeg arguments (for diagnostics and tests).</summary>
    public IReadOnlyList<string> Arguments => _arguments;

    public static FfmpegVideoSource ForContainer(string path, VideoCodec codec, double frameRate) =>
        new(
            ["-hide_banner", "-loglevel", "error", "-i", path, "-map", "0:v:0", "-c", "copy",
             "-bsf:v", codec == VideoCodec.H265 ? "hevc_mp4toannexb" : "h264_mp4toannexb",
             "-f", codec == VideoCodec.H265 ? "hevc" : "h264", "-"],
            codec,
            frameRate);

    /// <summary>A test pattern of <paramref name="frames"/> frames; <paramref name="realTime"/> makes ffmpeg produce them at the frame rate.</summary>
    public static FfmpegVideoSource ForPattern(int width, int height, double frameRate, long frames, VideoCodec codec, bool realTime)
    {
        var rate = frameRate.ToString(CultureInfo.InvariantCulture);
        var gop = Math.Max(1, (int)Math.Round(frameRate * 2)).ToString(CultureInfo.InvariantCulture);
        var arguments = new List<string> { "-hide_banner", "-loglevel", "error", "-nostdin" };
        if (realTime)
        {
            arguments.Add("-re");
        }

        arguments.AddRange(["-f", "lavfi", "-i", $"testsrc2=size={width}x{height}:rate={rate}", "-frames:v", frames.ToString(CultureInfo.InvariantCulture)]);
        if (File.Exists(FontFile))
        {
            var size = Math.Max(12, height / 14).ToString(CultureInfo.InvariantCulture);
            arguments.AddRange(["-vf", $"drawtext=fontfile={FontFile}:fontsize={size}:fontcolor=white:box=1:boxcolor=black@0.6:x=8:y=8:text='frame %{{n}}  %{{localtime}}  {width}x{height}'"]);
        }

        arguments.AddRange(["-pix_fmt", "yuv420p"]);
        if (codec == VideoCodec.H265)
        {
            arguments.AddRange(["-c:v", "libx265", "-preset", "ultrafast", "-tune", "zerolatency", "-x265-params", $"bframes=0:keyint={gop}:log-level=error", "-f", "hevc", "-"]);
        }
        else
        {
            arguments.AddRange(["-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-bf", "0", "-g", gop, "-f", "h264", "-"]);
        }

        return new FfmpegVideoSource(arguments, codec, frameRate);
    }

    public async IAsyncEnumerable<SourceAccessUnit> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var process = FfmpegProcess.Start("ffmpeg", _arguments);
        _process = process;
        // Nothing is fed to it: the source is a file or a generated pattern.
        process.CloseInput();
        var reader = new AnnexBStreamReader(process.Output, _codec);
        await foreach (var unit in reader.ReadAsync(cancellationToken))
        {
            yield return unit;
        }

        if (await process.WaitForExitAsync(cancellationToken) != 0)
        {
            throw new InvalidOperationException($"ffmpeg exited with {process.ExitCode}: {process.ErrorTail.Trim()}");
        }
    }

    public ValueTask DisposeAsync()
    {
        _process?.Dispose();
        return ValueTask.CompletedTask;
    }
}
