using Receiver.Core.Media;

namespace Receiver.Web.Tests.Infrastructure;

/// <summary>An H.264 clip made by ffmpeg (libx264, no B-frames), split into parameter sets and access units.</summary>
public sealed class H264Clip
{
    private H264Clip(byte[] annexB, IReadOnlyList<IReadOnlyList<ReadOnlyMemory<byte>>> accessUnits)
    {
        AnnexBBytes = annexB;
        var sps = new List<byte[]>();
        var pps = new List<byte[]>();
        var frames = new List<IReadOnlyList<ReadOnlyMemory<byte>>>();
        foreach (var unit in accessUnits)
        {
            var slices = new List<ReadOnlyMemory<byte>>();
            foreach (var nal in unit)
            {
                switch (nal.Span[0] & 0x1F)
                {
                    case 7 when sps.Count == 0:
                        sps.Add(nal.ToArray());
                        break;
                    case 8 when pps.Count == 0:
                        pps.Add(nal.ToArray());
                        break;
                    case 7 or 8 or 9:
                        break;
                    default:
                        slices.Add(nal);
                        break;
                }
            }

            if (slices.Count > 0)
            {
                frames.Add(slices);
            }
        }

        Sps = sps;
        Pps = pps;
        Frames = frames;
    }

    public byte[] AnnexBBytes { get; }

    public IReadOnlyList<byte[]> Sps { get; }

    public IReadOnlyList<byte[]> Pps { get; }

    /// <summary>Each access unit's NAL units without parameter sets or delimiters.</summary>
    public IReadOnlyList<IReadOnlyList<ReadOnlyMemory<byte>>> Frames { get; }

    public static async Task<H264Clip> CreateAsync(int width, int height, int frames, int rate = 30, int gop = 30)
    {
        var file = Path.Combine(Path.GetTempPath(), $"clip-{Guid.NewGuid():N}.h264");
        try
        {
            var (exit, output) = await ExternalTools.RunAsync("ffmpeg",
            [
                "-v", "error", "-f", "lavfi", "-i", $"testsrc2=size={width}x{height}:rate={rate}", "-frames:v", frames.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-bf", "0", "-g", gop.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "-pix_fmt", "yuv420p", "-f", "h264", "-y", file,
            ]);
            Assert.True(exit == 0, "ffmpeg failed: " + output);
            var bytes = await File.ReadAllBytesAsync(file);
            return new H264Clip(bytes, AnnexB.SplitAccessUnits(bytes, VideoCodec.H264));
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>The access unit as AVCC (4-byte lengths).</summary>
    public byte[] Avcc(int index) => AnnexB.ToAvcc(Frames[index]);

    public static bool IsKeyframe(IReadOnlyList<ReadOnlyMemory<byte>> frame) => frame.Any(n => (n.Span[0] & 0x1F) == 5);
}
