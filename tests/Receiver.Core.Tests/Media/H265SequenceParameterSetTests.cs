using Receiver.Core.Media;

namespace Receiver.Core.Tests.Media;

public sealed class H265SequenceParameterSetTests
{
    [FfmpegTheory]
    [InlineData(1280, 720)]
    [InlineData(1920, 1080)]
    public void Parse_SpsFromLibx265_ReturnsSizeAndMainProfile(int width, int height)
    {
        using var dir = new TempDirectory();
        var stream = Ffmpeg.EncodeTestPattern(dir.Path, VideoCodecName.H265, width, height, 1, 30);
        var units = AnnexB.SplitNalUnits(stream);
        byte[] Of(int type) => units.First(n => AnnexB.NalUnitType(n.Span, VideoCodec.H265) == type).ToArray();

        var sps = H265SequenceParameterSet.Parse(Of(33));
        var format = VideoFormat.FromH265([Of(32)], [Of(33)], [Of(34)]);

        Assert.Equal((width, height), (sps.Width, sps.Height));
        Assert.Equal(1, sps.GeneralProfileIdc);
        Assert.Equal(1, sps.ChromaFormatIdc);
        Assert.Equal($"hvc1.1.6.L{sps.GeneralLevelIdc}.{sps.GeneralConstraintIndicatorFlags.Span[0]:X2}", format.CodecString);
        var hvcC = format.DecoderConfiguration.Span;
        Assert.Equal(1, hvcC[0]);
        Assert.Equal(3, hvcC[22]);
        Assert.Equal(0xA0, hvcC[23]); // VPS array, complete
    }

    [Fact]
    public void HevcCodecString_ProfileSpaceTierAndConstraints_FollowsAnnexE()
    {
        var sps = BuildSps(profileSpace: 1, tier: true, profile: 2, compatibility: 0x20000000, level: 120, constraints: [0x90, 0, 0, 0, 0, 0]);

        Assert.Equal("hvc1.A2.4.H120.90", VideoFormat.HevcCodecString(sps));
    }

    [Fact]
    public void Parse_EveryTruncation_ThrowsMediaFormatException()
    {
        var sps = BuildSpsBytes(0, false, 1, 0x60000000, 93, [0xB0, 0, 0, 0, 0, 0]);
        Assert.Equal((640, 360), (H265SequenceParameterSet.Parse(sps).Width, H265SequenceParameterSet.Parse(sps).Height));

        for (var length = 0; length < sps.Length - 1; length++)
        {
            Assert.Throws<MediaFormatException>(() => H265SequenceParameterSet.Parse(sps.AsSpan(0, length)));
        }
    }

    private static H265SequenceParameterSet BuildSps(int profileSpace, bool tier, int profile, uint compatibility, int level, byte[] constraints) =>
        H265SequenceParameterSet.Parse(BuildSpsBytes(profileSpace, tier, profile, compatibility, level, constraints));

    /// <summary>A 640x360 4:2:0 SPS (coded 640x368 with a conformance window), up to the bit depths.</summary>
    private static byte[] BuildSpsBytes(int profileSpace, bool tier, int profile, uint compatibility, int level, byte[] constraints)
    {
        var w = new RbspBitWriter();
        w.WriteBits(33 << 1, 8);
        w.WriteBits(1, 8);
        w.WriteBits(0, 4); // vps id
        w.WriteBits(0, 3); // max_sub_layers_minus1
        w.WriteBit(1);
        w.WriteBits((uint)profileSpace, 2);
        w.WriteFlag(tier);
        w.WriteBits((uint)profile, 5);
        w.WriteBits(compatibility, 32);
        foreach (var b in constraints)
        {
            w.WriteBits(b, 8);
        }

        w.WriteBits((uint)level, 8);
        w.WriteUe(0); // sps id
        w.WriteUe(1); // chroma_format_idc
        w.WriteUe(640);
        w.WriteUe(368);
        w.WriteBit(1); // conformance window
        w.WriteUe(0);
        w.WriteUe(0);
        w.WriteUe(0);
        w.WriteUe(4);
        w.WriteUe(0);
        w.WriteUe(0);
        return Rbsp.Escape(w.ToArrayWithTrailingBits());
    }
}
