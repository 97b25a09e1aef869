using Receiver.Core.Media;

namespace Receiver.Core.Tests.Media;

public sealed class AnnexBTests
{
    [Fact]
    public void SplitNalUnits_ThreeAndFourByteStartCodes_ReturnsUnitsWithoutStartCodes()
    {
        byte[] stream = [0, 0, 0, 1, 0x67, 1, 2, 0, 0, 1, 0x68, 3, 0, 0, 0, 1, 0x65, 4, 5];

        var units = AnnexB.SplitNalUnits(stream);

        Assert.Equal(["670102", "6803", "650405"], units.Select(u => Convert.ToHexString(u.Span)));
    }

    [Fact]
    public void SplitAccessUnits_H264_GroupsParameterSetsWithFirstSlice()
    {
        byte[] stream =
        [
            0, 0, 1, 0x09, 0xF0, // AUD
            0, 0, 1, 0x67, 0x42, // SPS
            0, 0, 1, 0x68, 0xCE, // PPS
            0, 0, 1, 0x65, 0x88, // IDR slice, first_mb_in_slice = 0
            0, 0, 1, 0x65, 0x40, // IDR slice, first_mb_in_slice != 0
            0, 0, 1, 0x41, 0x9A, // next picture
            0, 0, 1, 0x41, 0x9B, // next picture
        ];

        var units = AnnexB.SplitAccessUnits(stream, VideoCodec.H264);

        Assert.Equal([5, 1, 1], units.Select(u => u.Count));
        Assert.True(AnnexB.IsKeyframeSlice(units[0][3].Span, VideoCodec.H264));
        Assert.False(AnnexB.IsKeyframeSlice(units[1][0].Span, VideoCodec.H264));
    }

    [Fact]
    public void ToAvcc_Units_PrefixesBigEndianLengths()
    {
        var avcc = AnnexB.ToAvcc([new byte[] { 0x65, 1, 2 }, new byte[] { 0x06 }]);

        Assert.Equal("0000000365010200000001" + "06", Convert.ToHexString(avcc));
    }

    [Fact]
    public void SplitNalUnits_NoStartCode_ReturnsNothing()
    {
        Assert.Empty(AnnexB.SplitNalUnits(new byte[] { 1, 2, 3, 4 }));
    }
}
