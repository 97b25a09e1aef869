using Receiver.Core.Media;

namespace Receiver.Core.Tests.Media;

/// <summary>Encodes test patterns with ffmpeg, muxes them with <see cref="Fmp4Muxer"/> and checks ffmpeg reads them back.</summary>
public sealed class Fmp4RoundTripTests
{
    [FfmpegTheory]
    [InlineData(1280, 720)]
    [InlineData(720, 1280)]
    [InlineData(1920, 1080)]
    [InlineData(640, 360)]
    public void Mux_H264Clip_FfprobeSeesEveryFrameWithSizeAndKeyframes(int width, int height)
    {
        using var dir = new TempDirectory();
        var clip = TestClip.FromAnnexB(Ffmpeg.EncodeTestPattern(dir.Path, VideoCodecName.H264, width, height, 60, 30), VideoCodec.H264);
        Assert.Equal(60, clip.AccessUnits.Count);
        Assert.Equal((width, height), (clip.Format.Width, clip.Format.Height));

        var frames = TestClip.ProbeFrames(clip.WriteMp4(dir.File("out.mp4")));

        Assert.Equal(60, frames.Count);
        Assert.All(frames, f => Assert.Equal((width, height), (f.Width, f.Height)));
        Assert.Equal([0, 30], frames.Select((f, i) => (f, i)).Where(x => x.f.Key).Select(x => x.i));
    }

    [FfmpegFact]
    public void Mux_H264Clip_DecodesIdenticallyToTheElementaryStream()
    {
        using var dir = new TempDirectory();
        var stream = Ffmpeg.EncodeTestPattern(dir.Path, VideoCodecName.H264, 640, 360, 30, 15);
        File.WriteAllBytes(dir.File("in.h264"), stream);
        var clip = TestClip.FromAnnexB(stream, VideoCodec.H264);

        var expected = TestClip.DecodedFrameHashes(dir.File("in.h264"));
        var actual = TestClip.DecodedFrameHashes(clip.WriteMp4(dir.File("out.mp4")));

        Assert.Equal(30, expected.Count);
        Assert.Equal(expected, actual);
    }

    [FfmpegFact]
    public void Mux_RewrittenSps_DecodesIdenticallyAndCarriesLowDelayVui()
    {
        using var dir = new TempDirectory();
        var stream = Ffmpeg.EncodeTestPattern(dir.Path, VideoCodecName.H264, 1280, 720, 30, 15);
        File.WriteAllBytes(dir.File("in.h264"), stream);
        var clip = TestClip.FromAnnexB(stream, VideoCodec.H264);
        var lowDelay = clip.Format.WithLowDecoderDelay();

        var actual = TestClip.DecodedFrameHashes(clip.WriteMp4(dir.File("low-delay.mp4"), lowDelay));

        Assert.Equal(TestClip.DecodedFrameHashes(dir.File("in.h264")), actual);
        var sps = H264SequenceParameterSet.Parse(lowDelay.ParameterSets[0].Span);
        Assert.Equal(0, sps.MaxNumReorderFrames);
        Assert.Equal(lowDelay.CodecString, clip.Format.CodecString);
    }

    [FfmpegFact]
    public void Mux_SpsWithoutVuiRewritten_DecodesIdentically()
    {
        using var dir = new TempDirectory();
        var stream = Ffmpeg.EncodeTestPattern(dir.Path, VideoCodecName.H264, 640, 360, 30, 15);
        File.WriteAllBytes(dir.File("in.h264"), stream);
        var clip = TestClip.FromAnnexB(stream, VideoCodec.H264);
        var withoutVui = H264SpsRewriterTests.StripVui(clip.Format.ParameterSets[0].ToArray());
        var pps = clip.Format.ParameterSets[1].ToArray();
        var plain = VideoFormat.FromH264([withoutVui], [pps]);
        var rewritten = plain.WithLowDecoderDelay();

        var expected = TestClip.DecodedFrameHashes(dir.File("in.h264"));

        Assert.Equal(expected, TestClip.DecodedFrameHashes(clip.WriteMp4(dir.File("plain.mp4"), plain)));
        Assert.Equal(expected, TestClip.DecodedFrameHashes(clip.WriteMp4(dir.File("rewritten.mp4"), rewritten)));
        Assert.False(H264SequenceParameterSet.Parse(withoutVui).VuiParametersPresent);
        Assert.True(H264SequenceParameterSet.Parse(rewritten.ParameterSets[0].Span).BitstreamRestrictionPresent);
    }

    [FfmpegFact]
    public void Mux_H265Clip_FfprobeSeesEveryFrameWithSizeAndKeyframes()
    {
        using var dir = new TempDirectory();
        var clip = TestClip.FromAnnexB(Ffmpeg.EncodeTestPattern(dir.Path, VideoCodecName.H265, 640, 360, 30, 15), VideoCodec.H265);
        Assert.Equal(30, clip.AccessUnits.Count);
        Assert.Equal((640, 360), (clip.Format.Width, clip.Format.Height));
        Assert.StartsWith("hvc1.1.6.L", clip.Format.CodecString, StringComparison.Ordinal);

        var path = clip.WriteMp4(dir.File("out.mp4"));
        var frames = TestClip.ProbeFrames(path);

        Assert.Equal(30, frames.Count);
        Assert.All(frames, f => Assert.Equal((640, 360), (f.Width, f.Height)));
        Assert.Equal([0, 15], frames.Select((f, i) => (f, i)).Where(x => x.f.Key).Select(x => x.i));
        Assert.Equal(30, TestClip.DecodedFrameHashes(path).Count);
    }
}
