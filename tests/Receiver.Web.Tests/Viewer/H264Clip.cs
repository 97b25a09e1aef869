using System.Collections.Concurrent;
using System.Globalization;
using Receiver.Core.Media;
using Receiver.Web.Tests.Infrastructure;

namespace Receiver.Web.Tests.Viewer;

/// <summary>
/// An H.264 test pattern made by ffmpeg (x264 ultrafast, zerolatency, no B-frames), split into AVCC access
/// units without parameter sets, as a mirroring sender delivers them. Clips are cached per run.
/// </summary>
public sealed class H264Clip
{
    private static readonly ConcurrentDictionary<string, Lazy<Task<H264Clip>>> Cache = new();

    private H264Clip(VideoFormat format, IReadOnlyList<ClipFrame> frames, int frameRate)
    {
        Format = format;
        Frames = frames;
        FrameRate = frameRate;
    }

    public VideoFormat Format { get; }

    public IReadOnlyList<ClipFrame> Frames { get; }

    public int FrameRate { get; }

    public static bool CanCreate => ExternalTools.Exists("ffmpeg");

    /// <summary>The same pictures with an SPS without VUI, as Apple's encoder writes it (no bitstream_restriction).</summary>
    public H264Clip WithoutVui()
    {
        var sps = new List<byte[]>();
        var pps = new List<byte[]>();
        foreach (var unit in Format.ParameterSets)
        {
            var type = AnnexB.NalUnitType(unit.Span, VideoCodec.H264);
            if (type == 7)
            {
                sps.Add(AppleStyleSps.StripVui(unit.Span));
            }
            else if (type == 8)
            {
                pps.Add(unit.ToArray());
            }
        }

        return new H264Clip(VideoFormat.FromH264(sps, pps), Frames, FrameRate);
    }

    /// <summary>Makes (or reuses) a clip of <paramref name="seconds"/> seconds with an IDR every <paramref name="gop"/> frames.</summary>
    public static Task<H264Clip> GetAsync(int width, int height, int frameRate, int seconds, int gop) =>
        Cache.GetOrAdd(
            string.Create(CultureInfo.InvariantCulture, $"{width}x{height}@{frameRate}-{seconds}s-g{gop}"),
            key => new Lazy<Task<H264Clip>>(() => CreateAsync(key, width, height, frameRate, seconds, gop))).Value;

    private static async Task<H264Clip> CreateAsync(string key, int width, int height, int frameRate, int seconds, int gop)
    {
        var directory = Path.Combine(Path.GetTempPath(), "airplay-receiver-tests", "clips");
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, key + ".h264");
        if (!File.Exists(path))
        {
            var partial = path + "." + Guid.NewGuid().ToString("N");
            var (exitCode, output) = await ExternalTools.RunAsync("ffmpeg",
            [
                "-hide_banner", "-loglevel", "error", "-y",
                "-f", "lavfi", "-i", string.Create(CultureInfo.InvariantCulture, $"testsrc2=size={width}x{height}:rate={frameRate}"),
                "-t", seconds.ToString(CultureInfo.InvariantCulture),
                "-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-bf", "0",
                "-g", gop.ToString(CultureInfo.InvariantCulture), "-pix_fmt", "yuv420p",
                "-f", "h264", partial,
            ]);
            if (exitCode != 0)
            {
                throw new InvalidOperationException($"ffmpeg failed ({exitCode}): {output}");
            }

            File.Move(partial, path, overwrite: true);
        }

        return Parse(await File.ReadAllBytesAsync(path), frameRate);
    }

    /// <summary>Splits an Annex-B H.264 stream into a format and AVCC access units.</summary>
    public static H264Clip Parse(byte[] annexB, int frameRate)
    {
        var sps = new List<byte[]>();
        var pps = new List<byte[]>();
        var frames = new List<ClipFrame>();
        foreach (var accessUnit in AnnexB.SplitAccessUnits(annexB, VideoCodec.H264))
        {
            var keep = new List<ReadOnlyMemory<byte>>();
            var keyframe = false;
            foreach (var nal in accessUnit)
            {
                var type = AnnexB.NalUnitType(nal.Span, VideoCodec.H264);
                if (type == 7 && sps.Count == 0)
                {
                    sps.Add(nal.ToArray());
                }
                else if (type == 8 && pps.Count == 0)
                {
                    pps.Add(nal.ToArray());
                }

                if (AnnexB.IsParameterSet(nal.Span, VideoCodec.H264) || type == 9)
                {
                    continue;
                }

                keyframe |= AnnexB.IsKeyframeSlice(nal.Span, VideoCodec.H264);
                keep.Add(nal);
            }

            frames.Add(new ClipFrame(AnnexB.ToAvcc(keep), keyframe));
        }

        return new H264Clip(VideoFormat.FromH264(sps, pps), frames, frameRate);
    }
}
