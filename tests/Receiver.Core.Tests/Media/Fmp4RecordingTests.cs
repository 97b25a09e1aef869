using System.Globalization;
using System.Text.Json;
using Receiver.Core.Audio;
using Receiver.Core.Media;

namespace Receiver.Core.Tests.Media;

public sealed class Fmp4RecordingTests
{
    private static readonly VideoFormat Format = VideoFormat.FromH264([Convert.FromHexString("67640020AC13128080089E7950")], [Convert.FromHexString("68EE3CB0")]);

    [Fact]
    public void MergeInitSegments_VideoAndAudio_OneMoovWithBothTracksAndBothTrex()
    {
        var video = new Fmp4Muxer().CreateInitSegment(Format);
        var audio = Fmp4AudioMuxer.CreateInitSegment(AudioFormat.AacLc44100Stereo);

        var merged = Fmp4Recording.MergeInitSegments(video, audio);

        var top = Mp4Box.Parse(merged);
        Assert.Equal(["ftyp", "moov"], top.Select(b => b.Type));
        var moov = top[1];
        Assert.Equal(["mvhd", "trak", "trak", "mvex"], moov.Children.Select(b => b.Type));
        Assert.Equal([1u, 2u], moov.Children.Where(b => b.Type == "trak").Select(t => t.Child("tkhd").U32(12)));
        Assert.Equal([1u, 2u], moov.Child("mvex").Children.Select(t => t.U32(4)));
        Assert.Equal("vide", Handler(moov.Children[1]));
        Assert.Equal("soun", Handler(moov.Children[2]));
        Assert.Equal(3u, moov.Child("mvhd").U32(96)); // next_track_ID
    }

    [Fact]
    public void MergeInitSegments_NoAudio_IsTheVideoSegment()
    {
        var video = new Fmp4Muxer().CreateInitSegment(Format);

        Assert.Equal(video, Fmp4Recording.MergeInitSegments(video, []));
    }

    [Theory]
    [InlineData("ftypmoov")]
    [InlineData("")]
    public void MergeInitSegments_NotAnInitSegment_Throws(string text)
    {
        var bytes = System.Text.Encoding.ASCII.GetBytes(text);
        Assert.Throws<MediaFormatException>(() => Fmp4Recording.MergeInitSegments(bytes, Fmp4AudioMuxer.CreateInitSegment(AudioFormat.AacLc44100Stereo)));
    }

    [Fact]
    public void RewriteHeader_Version1TfdtTooShortForItsTime_RefusedAsMediaFormat()
    {
        // Found by fuzzing: a version-1 tfdt (64-bit decode time) of 16 bytes holds only 4 bytes of time.
        byte[] tfdt = [0, 0, 0, 16, .. "tfdt"u8, 1, 0, 0, 0, 0, 0, 0, 9];
        byte[] mfhd = [0, 0, 0, 16, .. "mfhd"u8, 0, 0, 0, 0, 0, 0, 0, 1];
        byte[] traf = [0, 0, 0, (byte)(8 + tfdt.Length), .. "traf"u8, .. tfdt];
        byte[] moof = [0, 0, 0, (byte)(8 + mfhd.Length + traf.Length), .. "moof"u8, .. mfhd, .. traf];

        Assert.Throws<MediaFormatException>(() => Fmp4Recording.RewriteHeader(moof, new byte[256], 1, 0));
    }

    [Fact]
    public void RewriteFragment_Video_SetsSequenceNumberAndCountsDecodeTimeFromTheStart()
    {
        var muxer = new Fmp4Muxer(writeProducerReferenceTime: true) { InitialDecodeTime = 900_000 };
        var fragment = muxer.CreateFragment(new VideoAccessUnit(new byte[] { 0, 0, 0, 2, 0x65, 0x88 }, true, 900_000, 5_000_000_000));
        var output = new byte[fragment.Length + 10];

        var written = Fmp4Recording.RewriteFragment(fragment, output, 42, 899_000);

        Assert.Equal(fragment.Length, written);
        var boxes = Mp4Box.Parse(output[..written]);
        Assert.Equal(["prft", "moof", "mdat"], boxes.Select(b => b.Type));
        Assert.Equal(42u, boxes[1].Child("mfhd").U32(4));
        Assert.Equal(1_000ul, boxes[1].Child("traf").Child("tfdt").U64(4));
        Assert.Equal(boxes[2].Body.ToArray(), Mp4Box.Parse(fragment)[2].Body.ToArray());
    }

    [Fact]
    public void RewriteFragment_Audio_MovesDecodeTimeBack()
    {
        var fragment = new Fmp4AudioMuxer().CreateFragment(new byte[] { 1, 2, 3 }, 441_000, 1024);
        var output = new byte[fragment.Length];

        Fmp4Recording.RewriteFragment(fragment, output, 7, 44_100);

        var moof = Mp4Box.Parse(output)[0];
        Assert.Equal(7u, moof.Child("mfhd").U32(4));
        Assert.Equal(396_900ul, moof.Child("traf").Child("tfdt").U64(4));
    }

    [Fact]
    public void RewriteFragment_BeforeTheRecordingStarted_Throws()
    {
        var fragment = new Fmp4AudioMuxer().CreateFragment(new byte[] { 1 }, 100, 1024);

        Assert.Throws<MediaFormatException>(() => Fmp4Recording.RewriteFragment(fragment, new byte[fragment.Length], 1, 101));
    }

    [Fact]
    public void RewriteFragment_ShortDestination_Throws()
    {
        var fragment = new Fmp4AudioMuxer().CreateFragment(new byte[] { 1 }, 100, 1024);

        Assert.Throws<ArgumentException>(() => Fmp4Recording.RewriteFragment(fragment, new byte[fragment.Length - 1], 1, 0));
    }

    [Fact]
    public void RewriteHeader_HeaderOverTheLimit_Throws()
    {
        // A moof padded with a free box to more than MaxHeaderLength bytes.
        var fragment = new Fmp4AudioMuxer().CreateFragment(new byte[] { 1, 2, 3 }, 100, 1024);
        var moofLength = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(fragment);
        var padding = Fmp4Recording.MaxHeaderLength;
        var oversized = new byte[fragment.Length + padding];
        fragment.AsSpan(0, (int)moofLength).CopyTo(oversized);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(oversized, (uint)(moofLength + padding));
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(oversized.AsSpan((int)moofLength), (uint)padding);
        "free"u8.CopyTo(oversized.AsSpan((int)moofLength + 4));
        fragment.AsSpan((int)moofLength).CopyTo(oversized.AsSpan((int)moofLength + padding));

        var ex = Assert.Throws<MediaFormatException>(() => Fmp4Recording.RewriteHeader(oversized, new byte[oversized.Length], 1, 0));
        Assert.Contains("at most", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RewriteHeader_BoxClaimingMoreThanTheFragment_Throws()
    {
        var fragment = new Fmp4AudioMuxer().CreateFragment(new byte[] { 1, 2, 3 }, 100, 1024);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(fragment, uint.MaxValue);

        Assert.Throws<MediaFormatException>(() => Fmp4Recording.RewriteHeader(fragment, new byte[fragment.Length], 1, 0));
    }

    [Fact]
    public void RewriteFragment_TruncatedOrMutated_OnlyEverThrowsMediaFormatException()
    {
        var fragment = new Fmp4Muxer(writeProducerReferenceTime: true).CreateFragment(new VideoAccessUnit(new byte[] { 0, 0, 0, 3, 0x65, 0x88, 0x80 }, true, 9_000, 0));
        var random = new Random(11);
        var candidates = Enumerable.Range(0, fragment.Length).Select(n => fragment[..n]).ToList();
        for (var i = 0; i < 2000; i++)
        {
            var mutated = (byte[])fragment.Clone();
            for (var k = random.Next(1, 4); k > 0; k--)
            {
                mutated[random.Next(mutated.Length)] = (byte)random.Next(256);
            }

            candidates.Add(mutated);
        }

        foreach (var candidate in candidates)
        {
            try
            {
                Fmp4Recording.RewriteFragment(candidate, new byte[candidate.Length], 1, 0);
            }
            catch (MediaFormatException)
            {
            }
        }
    }

    [FfmpegFact]
    public void Recording_ClipAndAacTone_FfmpegPlaysBothTracksFromZero()
    {
        using var dir = new TempDirectory();
        var clip = TestClip.FromAnnexB(Ffmpeg.EncodeTestPattern(dir.Path, VideoCodecName.H264, 640, 360, 60, 30), VideoCodec.H264);
        var aac = AacFrames(dir.Path, seconds: 2);

        // The clip starts at 1 s on the channel's timeline (90 kHz); audio on the same timeline in samples.
        var videoMuxer = new Fmp4Muxer { InitialDecodeTime = 90_000 };
        var audioMuxer = new Fmp4AudioMuxer();
        var fragments = new List<(double Seconds, byte[] Data, long Offset)>();
        foreach (var au in clip.AccessUnits)
        {
            fragments.Add((1 + (fragments.Count / 30.0), videoMuxer.CreateFragment(au), 90_000));
        }

        for (var i = 0; i < aac.Count; i++)
        {
            var decodeTime = 44_100 + (i * 1024L);
            fragments.Add((decodeTime / 44_100.0, audioMuxer.CreateFragment(aac[i], decodeTime, 1024), 44_100));
        }

        var path = dir.File("recording.mp4");
        using (var file = File.Create(path))
        {
            file.Write(Fmp4Recording.MergeInitSegments(videoMuxer.CreateInitSegment(clip.Format), Fmp4AudioMuxer.CreateInitSegment(AudioFormat.AacLc44100Stereo)));
            uint sequence = 0;
            foreach (var (_, data, offset) in fragments.OrderBy(f => f.Seconds))
            {
                var rewritten = new byte[data.Length];
                Fmp4Recording.RewriteFragment(data, rewritten, ++sequence, offset);
                file.Write(rewritten);
            }
        }

        var (exit, stdout, stderr) = Ffmpeg.Run("ffprobe", "-v", "error", "-show_streams", "-of", "json", path);
        Assert.True(exit == 0, stderr);
        using var json = JsonDocument.Parse(stdout);
        var streams = json.RootElement.GetProperty("streams").EnumerateArray().ToList();
        var video = Assert.Single(streams, s => s.GetProperty("codec_type").GetString() == "video");
        var audio = Assert.Single(streams, s => s.GetProperty("codec_type").GetString() == "audio");
        Assert.Equal("h264", video.GetProperty("codec_name").GetString());
        Assert.Equal(640, video.GetProperty("width").GetInt32());
        Assert.Equal("aac", audio.GetProperty("codec_name").GetString());
        Assert.Equal(0, Seconds(video, "start_time"), 3);
        Assert.Equal(0, Seconds(audio, "start_time"), 3);
        Assert.Equal(2.0, Seconds(video, "duration"), 1);

        var count = Ffmpeg.Run("ffprobe", "-v", "error", "-select_streams", "v", "-count_frames", "-show_entries", "stream=nb_read_frames", "-of", "csv=p=0", path);
        Assert.Equal(clip.AccessUnits.Count.ToString(CultureInfo.InvariantCulture), count.Stdout.Trim());
        var decode = Ffmpeg.Run("ffmpeg", "-v", "error", "-i", path, "-f", "null", "-");
        Assert.True(decode.ExitCode == 0 && decode.Stderr.Trim().Length == 0, decode.Stderr);
    }

    [FfmpegFact]
    public void Recording_H265Clip_FfprobeReadsHevcFromZeroWithEveryFrame()
    {
        using var dir = new TempDirectory();
        var clip = TestClip.FromAnnexB(Ffmpeg.EncodeTestPattern(dir.Path, VideoCodecName.H265, 640, 360, 30, 15), VideoCodec.H265);
        var muxer = new Fmp4Muxer { InitialDecodeTime = 45_000 };
        var path = dir.File("recording-hevc.mp4");
        using (var file = File.Create(path))
        {
            file.Write(Fmp4Recording.MergeInitSegments(muxer.CreateInitSegment(clip.Format), Fmp4AudioMuxer.CreateInitSegment(AudioFormat.AacLc44100Stereo)));
            uint sequence = 0;
            foreach (var au in clip.AccessUnits)
            {
                var data = muxer.CreateFragment(au);
                var rewritten = new byte[data.Length];
                Fmp4Recording.RewriteFragment(data, rewritten, ++sequence, 45_000);
                file.Write(rewritten);
            }
        }

        var probe = Ffmpeg.Run("ffprobe", "-v", "error", "-select_streams", "v", "-count_frames", "-show_entries", "stream=codec_name,width,height,nb_read_frames,start_time", "-of", "csv=p=0", path);
        Assert.True(probe.ExitCode == 0, probe.Stderr);
        Assert.Equal("hevc,640,360,0.000000,30", probe.Stdout.Trim());
    }

    private static double Seconds(JsonElement stream, string property) =>
        double.Parse(stream.GetProperty(property).GetString()!, CultureInfo.InvariantCulture);

    private static string Handler(Mp4Box trak) =>
        System.Text.Encoding.ASCII.GetString(trak.Child("mdia").Children.Single(c => c.Type == "hdlr").Body.Slice(8, 4));

    /// <summary>A stereo 1 kHz tone encoded by ffmpeg's AAC-LC encoder, as raw frames.</summary>
    private static List<byte[]> AacFrames(string directory, int seconds)
    {
        var path = Path.Combine(directory, "tone.aac");
        var result = Ffmpeg.Run("ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", $"sine=frequency=1000:sample_rate=44100:duration={seconds}",
            "-ac", "2", "-c:a", "aac", "-b:a", "128k", "-f", "adts", path);
        Assert.True(result.ExitCode == 0, result.Stderr);
        var reader = new AdtsFrameReader();
        reader.Append(File.ReadAllBytes(path));
        var frames = new List<byte[]>();
        while (reader.TryRead(out var frame))
        {
            frames.Add(frame);
        }

        Assert.True(frames.Count > 80, $"{frames.Count} AAC frames");
        return frames;
    }
}
