using Receiver.Core.Media;

namespace Receiver.Core.Tests.Media;

public class NalUnitTests
{
    [Theory]
    [InlineData(1, false)]
    [InlineData(5, true)]
    [InlineData(7, false)]
    [InlineData(8, false)]
    public void IsKeyframe_H264_OnlyIdr(int type, bool expected) =>
        Assert.Equal(expected, NalUnit.IsKeyframe([(byte)(0x60 | type)], VideoCodec.H264));

    [Theory]
    [InlineData(0, false)]
    [InlineData(1, false)]
    [InlineData(15, false)]
    [InlineData(16, true)] // BLA_W_LP
    [InlineData(19, true)] // IDR_W_RADL
    [InlineData(20, true)] // IDR_N_LP
    [InlineData(21, true)] // CRA_NUT
    [InlineData(22, true)] // RSV_IRAP_VCL22
    [InlineData(23, true)] // RSV_IRAP_VCL23
    [InlineData(24, false)]
    [InlineData(32, false)] // VPS
    [InlineData(39, false)] // prefix SEI
    public void IsKeyframe_H265_IrapIs16To23(int type, bool expected) =>
        Assert.Equal(expected, NalUnit.IsKeyframe([(byte)(type << 1), 0x01], VideoCodec.H265));

    [Fact]
    public void IsKeyframe_Empty_False()
    {
        Assert.False(NalUnit.IsKeyframe([], VideoCodec.H264));
        Assert.False(NalUnit.IsKeyframe([], VideoCodec.H265));
    }

    [Fact]
    public void AnnexBKeyframeRule_IsTheSameRule()
    {
        for (var type = 0; type < 64; type++)
        {
            byte[] hevc = [(byte)(type << 1), 0x01];
            Assert.Equal(NalUnit.IsKeyframe(hevc, VideoCodec.H265), AnnexB.IsKeyframeSlice(hevc, VideoCodec.H265));
        }

        for (var type = 0; type < 32; type++)
        {
            byte[] avc = [(byte)(0x60 | type)];
            Assert.Equal(NalUnit.IsKeyframe(avc, VideoCodec.H264), AnnexB.IsKeyframeSlice(avc, VideoCodec.H264));
        }
    }

    [Theory]
    [InlineData(7, true)]
    [InlineData(8, true)]
    [InlineData(5, false)]
    public void IsParameterSet_H264(int type, bool expected) =>
        Assert.Equal(expected, NalUnit.IsParameterSet([(byte)(0x60 | type)], VideoCodec.H264));

    [Theory]
    [InlineData(0L, 0L)]
    [InlineData(1_000_000_000L, 90_000L)]
    [InlineData(33_333_333L, 2_999L)]
    [InlineData(-1_000_000_000L, -90_000L)]
    [InlineData(long.MaxValue, 830_103_483_316_929L)]
    public void VideoTimescale_FromNanoseconds(long nanoseconds, long expected) =>
        Assert.Equal(expected, VideoTimescale.FromNanoseconds(nanoseconds));

    [Fact]
    public void VideoTimescale_ToOtherUnits()
    {
        Assert.Equal(1_000_000, VideoTimescale.ToMicroseconds(90_000));
        Assert.Equal(33_322, VideoTimescale.ToMicroseconds(2_999));
        Assert.Equal(1.5, VideoTimescale.ToSeconds(135_000));
        Assert.Equal(44_100, VideoTimescale.ToTimescale(90_000, 44_100));
        Assert.Equal(48_000, VideoTimescale.ToTimescale(90_000, 48_000));
    }
}
