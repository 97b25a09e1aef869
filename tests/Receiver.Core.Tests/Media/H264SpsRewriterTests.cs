using Receiver.Core.Media;

namespace Receiver.Core.Tests.Media;

public sealed class H264SpsRewriterTests
{
    /// <summary>Returns the SPS with its VUI removed, as Apple's encoder writes it.</summary>
    internal static byte[] StripVui(byte[] sps)
    {
        var rbsp = Rbsp.Unescape(sps);
        var parsed = H264SequenceParameterSet.Parse(sps);
        var writer = new RbspBitWriter();
        writer.CopyBits(rbsp, 0, parsed.VuiFlagBitPosition);
        writer.WriteFlag(false);
        return Rbsp.Escape(writer.ToArrayWithTrailingBits());
    }

    [Theory]
    [MemberData(nameof(H264SequenceParameterSetTests.Vectors), MemberType = typeof(H264SequenceParameterSetTests))]
    public void WithBitstreamRestriction_SpsWithoutVui_AddsRestrictionAndKeepsFields(string hex, int width, int height, int codedHeight)
    {
        var original = StripVui(Convert.FromHexString(hex));
        Assert.False(H264SequenceParameterSet.Parse(original).VuiParametersPresent);

        var rewritten = H264SequenceParameterSet.Parse(H264SpsRewriter.WithBitstreamRestriction(original));

        Assert.Equal((width, height, codedHeight), (rewritten.Width, rewritten.Height, rewritten.CodedHeight));
        Assert.True(rewritten.VuiParametersPresent);
        Assert.False(rewritten.TimingInfoPresent);
        Assert.True(rewritten.BitstreamRestrictionPresent);
        Assert.Equal(0, rewritten.MaxNumReorderFrames);
        Assert.Equal(1, rewritten.MaxDecFrameBuffering);
    }

    [Theory]
    [MemberData(nameof(H264SequenceParameterSetTests.Vectors), MemberType = typeof(H264SequenceParameterSetTests))]
    public void WithBitstreamRestriction_SpsWithVui_KeepsTimingAndSize(string hex, int width, int height, int codedHeight)
    {
        var input = Convert.FromHexString(hex);
        var original = H264SequenceParameterSet.Parse(input);

        var rewritten = H264SequenceParameterSet.Parse(H264SpsRewriter.WithBitstreamRestriction(input));

        Assert.Equal((width, height, codedHeight), (rewritten.Width, rewritten.Height, rewritten.CodedHeight));
        Assert.Equal((original.ProfileIdc, original.ConstraintFlags, original.LevelIdc), (rewritten.ProfileIdc, rewritten.ConstraintFlags, rewritten.LevelIdc));
        Assert.Equal((original.TimingInfoPresent, original.NumUnitsInTick, original.TimeScale), (rewritten.TimingInfoPresent, rewritten.NumUnitsInTick, rewritten.TimeScale));
        Assert.Equal(original.MaxNumRefFrames, rewritten.MaxNumRefFrames);
        Assert.Equal(0, rewritten.MaxNumReorderFrames);
        Assert.Equal(Math.Max(1, original.MaxNumRefFrames), rewritten.MaxDecFrameBuffering);
    }

    [Fact]
    public void WithBitstreamRestriction_AppliedTwice_IsStable()
    {
        var once = H264SpsRewriter.WithBitstreamRestriction(StripVui(MediaVectors.Sps1920X1080));

        Assert.Equal(once, H264SpsRewriter.WithBitstreamRestriction(once));
    }

    [Fact]
    public void WithBitstreamRestriction_Output_HasNoStartCodeEmulation()
    {
        foreach (var vector in new[] { MediaVectors.Sps1280X720, MediaVectors.Sps1920X1080, MediaVectors.Sps640X360 })
        {
            var output = H264SpsRewriter.WithBitstreamRestriction(StripVui(vector));
            for (var i = 0; i + 2 < output.Length; i++)
            {
                Assert.False(output[i] == 0 && output[i + 1] == 0 && output[i + 2] <= 2, $"start code emulation at {i}");
            }

            Assert.NotEqual(0, output[^1]);
        }
    }

    [Fact]
    public void WithBitstreamRestriction_Malformed_ThrowsMediaFormatException()
    {
        Assert.Throws<MediaFormatException>(() => H264SpsRewriter.WithBitstreamRestriction(MediaVectors.Sps1280X720.AsSpan(0, 6)));
    }
}
