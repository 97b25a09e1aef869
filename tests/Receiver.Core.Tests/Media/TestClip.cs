using System.Text.Json;
using Receiver.Core.Media;

namespace Receiver.Core.Tests.Media;

/// <summary>An encoded test pattern split into a format and AVCC access units, and written as fragmented MP4.</summary>
internal sealed record TestClip(VideoFormat Format, IReadOnlyList<VideoAccessUnit> AccessUnits, IReadOnlyList<byte[]> ParameterSets)
{
    public const long FrameDuration = 3000; // 30 fps

    public static TestClip FromAnnexB(byte[] stream, VideoCodec codec)
    {
        var parameterSets = new List<byte[]>();
        var units = new List<VideoAccessUnit>();
        foreach (var au in AnnexB.SplitAccessUnits(stream, codec))
        {
            foreach (var nal in au.Where(n => AnnexB.IsParameterSet(n.Span, codec)))
            {
                if (!parameterSets.Any(p => p.AsSpan().SequenceEqual(nal.Span)))
                {
                    parameterSets.Add(nal.ToArray());
                }
            }

            var picture = au.Where(n => !AnnexB.IsParameterSet(n.Span, codec)).ToList();
            var keyframe = picture.Any(n => AnnexB.IsKeyframeSlice(n.Span, codec));
            units.Add(new VideoAccessUnit(AnnexB.ToAvcc(picture), keyframe, 90_000 + (units.Count * FrameDuration), units.Count * 33_333_333L));
        }

        byte[][] OfType(int type) => [.. parameterSets.Where(p => AnnexB.NalUnitType(p, codec) == type)];
        var format = codec == VideoCodec.H264
            ? VideoFormat.FromH264(OfType(7), OfType(8))
            : VideoFormat.FromH265(OfType(32), OfType(33), OfType(34));
        return new TestClip(format, units, parameterSets);
    }

    public string WriteMp4(string path, VideoFormat? format = null)
    {
        var muxer = new Fmp4Muxer();
        using var file = File.Create(path);
        file.Write(muxer.CreateInitSegment(format ?? Format));
        foreach (var au in AccessUnits)
        {
            file.Write(muxer.CreateFragment(au));
        }

        return path;
    }

    /// <summary>Frames as ffprobe decodes them: (key_frame, width, height).</summary>
    public static IReadOnlyList<(bool Key, int Width, int Height)> ProbeFrames(string path)
    {
        var (exit, stdout, stderr) = Ffmpeg.Run("ffprobe", "-v", "error", "-show_frames", "-of", "json", path);
        Assert.True(exit == 0, stderr);
        Assert.Equal(string.Empty, stderr.Trim());
        using var json = JsonDocument.Parse(stdout);
        return [.. json.RootElement.GetProperty("frames").EnumerateArray().Select(f => (
            f.GetProperty("key_frame").GetInt32() == 1,
            f.GetProperty("width").GetInt32(),
            f.GetProperty("height").GetInt32()))];
    }

    /// <summary>Decodes a file and returns the per-frame MD5 lines of the decoded pictures.</summary>
    public static IReadOnlyList<string> DecodedFrameHashes(string path)
    {
        var (exit, stdout, stderr) = Ffmpeg.Run("ffmpeg", "-v", "error", "-i", path, "-map", "0:v", "-f", "framemd5", "-");
        Assert.True(exit == 0, stderr);
        Assert.Equal(string.Empty, stderr.Trim());
        return [.. stdout.Split('\n').Where(l => l.Length > 0 && !l.StartsWith('#')).Select(l => l.Split(',')[^1].Trim())];
    }
}
