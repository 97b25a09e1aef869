using System.Collections.Concurrent;
using System.Globalization;
using Receiver.Core.Media;

namespace Receiver.Web.Tests.Infrastructure;

/// <summary>
/// An H.264 test pattern made by ffmpeg (x264 ultrafast, zerolatency, no B-frames), split into parameter sets and
/// access units without parameter sets or delimiters, as a mirroring sender delivers them. Clips are cached per run.
/// </summary>
public sealed class H264Clip
{
    private static readonly ConcurrentDictionary<string, Lazy<Task<H264Clip>>> Cache = new();

    private H264Clip(
        byte[] annexB, IReadOnlyList<byte[]> sps, IReadOnlyList<byte[]> pps, IReadOnlyList<IReadOnlyList<ReadOnlyMemory<byte>>> accessUnits, int frameRate)
    {
        AnnexBBytes = annexB;
        Sps = sps;
        Pps = pps;
        Format = VideoFormat.FromH264(sps, pps);
        AccessUnits = accessUnits;
        Frames = [.. accessUnits.Select(unit => new ClipFrame(AnnexB.ToAvcc(unit), unit.Any(nal => AnnexB.IsKeyframeSlice(nal.Span, VideoCodec.H264))))];
        FrameRate = frameRate;
    }

    public static bool CanCreate => ExternalTools.Exists("ffmpeg");

    /// <summary>The Annex-B elementary stream ffmpeg wrote.</summary>
    public byte[] AnnexBBytes { get; }

    /// <summary>The first SPS of the stream.</summary>
    public IReadOnlyList<byte[]> Sps { get; }

    /// <summary>The first PPS of the stream.</summary>
    public IReadOnlyList<byte[]> Pps { get; }

    public VideoFormat Format { get; }

    /// <summary>Each access unit's NAL units without parameter sets or delimiters.</summary>
    public IReadOnlyList<IReadOnlyList<ReadOnlyMemory<byte>>> AccessUnits { get; }

    /// <summary>Each access unit as AVCC (4-byte lengths) with its keyframe flag.</summary>
    public IReadOnlyList<ClipFrame> Frames { get; }

    public int FrameRate { get; }

    /// <summary>Makes (or reuses) a clip of <paramref name="seconds"/> seconds with an IDR every <paramref name="gop"/> frames.</summary>
    public static Task<H264Clip> GetAsync(int width, int height, int frameRate, int seconds, int gop) =>
        CreateAsync(width, height, seconds * frameRate, frameRate, gop);

    /// <summary>Makes (or reuses) a clip of <paramref name="frames"/> frames with an IDR every <paramref name="gop"/> frames.</summary>
    public static Task<H264Clip> CreateAsync(int width, int height, int frames, int rate = 30, int gop = 30) =>
        Cache.GetOrAdd(
            string.Create(CultureInfo.InvariantCulture, $"{width}x{height}@{rate}-{frames}f-g{gop}"),
            key => new Lazy<Task<H264Clip>>(() => EncodeAsync(key, width, height, frames, rate, gop))).Value;

    /// <summary>
    /// Writes <paramref name="seconds"/> of the test pattern at 30 fps (keyframe every second, no B-frames) as an MP4
    /// and its Annex-B copy into <paramref name="directory"/>.
    /// </summary>
    public static async Task<(string Mp4, string AnnexB)> WriteFilesAsync(string directory, int width, int height, double seconds)
    {
        var mp4 = Path.Combine(directory, "clip.mp4");
        var annexB = Path.Combine(directory, "clip.h264");
        var duration = seconds.ToString(CultureInfo.InvariantCulture);
        var (code, output) = await ExternalTools.RunFfmpegAsync("ffmpeg",
        [
            "-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i", $"testsrc2=size={width}x{height}:rate=30", "-t", duration,
            "-c:v", "libx264", "-preset", "ultrafast", "-bf", "0", "-g", "30", "-pix_fmt", "yuv420p", mp4,
        ]);
        Assert.True(code == 0, output);
        (code, output) = await ExternalTools.RunFfmpegAsync("ffmpeg", ["-hide_banner", "-loglevel", "error", "-y", "-i", mp4, "-c", "copy", "-bsf:v", "h264_mp4toannexb", "-f", "h264", annexB]);
        Assert.True(code == 0, output);
        return (mp4, annexB);
    }

    /// <summary>The access unit as AVCC (4-byte lengths).</summary>
    public byte[] Avcc(int index) => Frames[index].Payload;

    /// <summary>The same pictures with an SPS without VUI, as Apple's encoder writes it (no bitstream_restriction).</summary>
    public H264Clip WithoutVui() =>
        new(AnnexBBytes, [.. Sps.Select(sps => AppleStyleSps.StripVui(sps))], Pps, AccessUnits, FrameRate);

    /// <summary>Splits an Annex-B H.264 stream into its first SPS and PPS and the access units that carry pictures.</summary>
    private static H264Clip Parse(byte[] annexB, int frameRate)
    {
        var sps = new List<byte[]>();
        var pps = new List<byte[]>();
        var units = new List<IReadOnlyList<ReadOnlyMemory<byte>>>();
        foreach (var accessUnit in AnnexB.SplitAccessUnits(annexB, VideoCodec.H264))
        {
            var keep = new List<ReadOnlyMemory<byte>>();
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

                if (!AnnexB.IsParameterSet(nal.Span, VideoCodec.H264) && type != 9)
                {
                    keep.Add(nal);
                }
            }

            if (keep.Count > 0)
            {
                units.Add(keep);
            }
        }

        return new H264Clip(annexB, sps, pps, units, frameRate);
    }

    private static async Task<H264Clip> EncodeAsync(string key, int width, int height, int frames, int rate, int gop)
    {
        var directory = Path.Combine(Path.GetTempPath(), "airplay-receiver-tests", "clips");
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, key + ".h264");
        if (!File.Exists(path))
        {
            var partial = path + "." + Guid.NewGuid().ToString("N");
            var (exitCode, output) = await ExternalTools.RunFfmpegAsync("ffmpeg",
            [
                "-hide_banner", "-loglevel", "error", "-y",
                "-f", "lavfi", "-i", string.Create(CultureInfo.InvariantCulture, $"testsrc2=size={width}x{height}:rate={rate}"),
                "-frames:v", frames.ToString(CultureInfo.InvariantCulture),
                "-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-bf", "0",
                "-g", gop.ToString(CultureInfo.InvariantCulture), "-pix_fmt", "yuv420p",
                "-f", "h264", partial,
            ]);
            Assert.True(exitCode == 0, $"ffmpeg failed ({exitCode}): {output}");
            File.Move(partial, path, overwrite: true);
        }

        return Parse(await File.ReadAllBytesAsync(path), rate);
    }
}
