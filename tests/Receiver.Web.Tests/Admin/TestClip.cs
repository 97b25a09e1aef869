using System.Net;
using Receiver.Core.Media;
using Receiver.Core.Sessions;
using Receiver.Web.Tests.Infrastructure;

namespace Receiver.Web.Tests.Admin;

/// <summary>A short H.264 test pattern made by ffmpeg (no B-frames), split into a format and AVCC access units.</summary>
internal sealed class TestClip
{
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static readonly Dictionary<string, TestClip> Cache = [];

    private TestClip(VideoFormat format, IReadOnlyList<(byte[] Avcc, bool IsKeyframe)> frames)
    {
        Format = format;
        Frames = frames;
    }

    public VideoFormat Format { get; }

    public IReadOnlyList<(byte[] Avcc, bool IsKeyframe)> Frames { get; }

    public static bool Available => ExternalTools.Exists("ffmpeg");

    /// <summary>Encodes (once per size) <paramref name="frames"/> frames of <c>testsrc2</c> with a keyframe every 30 frames.</summary>
    public static async Task<TestClip> GetAsync(int width = 640, int height = 360, int frames = 90)
    {
        var key = $"{width}x{height}x{frames}";
        await Gate.WaitAsync();
        try
        {
            if (Cache.TryGetValue(key, out var cached))
            {
                return cached;
            }

            var file = Path.Combine(Path.GetTempPath(), $"admin-clip-{Guid.NewGuid():N}.h264");
            try
            {
                var (exit, output) = await ExternalTools.RunAsync("ffmpeg",
                [
                    "-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i", $"testsrc2=size={width}x{height}:rate=30",
                    "-frames:v", frames.ToString(System.Globalization.CultureInfo.InvariantCulture), "-c:v", "libx264", "-preset", "ultrafast",
                    "-tune", "zerolatency", "-bf", "0", "-g", "30", "-pix_fmt", "yuv420p", "-f", "h264", file,
                ]);
                Assert.True(exit == 0, "ffmpeg failed: " + output);
                var clip = Parse(await File.ReadAllBytesAsync(file));
                Cache[key] = clip;
                return clip;
            }
            finally
            {
                File.Delete(file);
            }
        }
        finally
        {
            Gate.Release();
        }
    }

    /// <summary>Starts a session on <paramref name="host"/> as a sender named <paramref name="name"/> would.</summary>
    public static MirroringSession StartSession(ReceiverHost host, string name, string model = "iPhone14,2") =>
        host.Sessions.Start(new SenderInfo("aa:bb:cc:dd:ee:ff", name, model, "iPhone OS", "17.5", "770.8.1", "127.0.0.1"), "airplay", IPAddress.Loopback);

    /// <summary>Publishes the format and announces the video stream, as the mirror stream does on its first codec data.</summary>
    public void BeginVideo(ReceiverHost host, MirroringSession session)
    {
        session.Media.Publish(Format);
        host.Sessions.Publish(new StreamStartedEvent(session.Id, DateTimeOffset.UtcNow, StreamKind.Video, Format.CodecString, Format.Width, Format.Height));
    }

    /// <summary>Publishes frames <paramref name="from"/>..<paramref name="from"/>+<paramref name="count"/> (wrapping around).</summary>
    public void Publish(MirroringSession session, int from, int count)
    {
        for (var i = from; i < from + count; i++)
        {
            var (avcc, keyframe) = Frames[i % Frames.Count];
            var pts = (long)i * 3000;
            session.Media.Publish(new VideoAccessUnit(avcc, keyframe, pts, pts * 11111));
        }
    }

    private static TestClip Parse(byte[] stream)
    {
        var sps = new List<byte[]>();
        var pps = new List<byte[]>();
        var frames = new List<(byte[], bool)>();
        foreach (var unit in AnnexB.SplitAccessUnits(stream, VideoCodec.H264))
        {
            var picture = new List<ReadOnlyMemory<byte>>();
            var keyframe = false;
            foreach (var nal in unit)
            {
                var type = AnnexB.NalUnitType(nal.Span, VideoCodec.H264);
                if (type == 7)
                {
                    sps.Add(nal.ToArray());
                }
                else if (type == 8)
                {
                    pps.Add(nal.ToArray());
                }
                else
                {
                    keyframe |= AnnexB.IsKeyframeSlice(nal.Span, VideoCodec.H264);
                    picture.Add(nal);
                }
            }

            frames.Add((AnnexB.ToAvcc(picture), keyframe));
        }

        return new TestClip(VideoFormat.FromH264([sps[0]], [pps[0]]), frames);
    }
}
