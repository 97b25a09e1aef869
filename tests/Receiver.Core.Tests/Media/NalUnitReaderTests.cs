using Receiver.Core.Media;

namespace Receiver.Core.Tests.Media;

public class NalUnitReaderTests
{
    private static readonly byte[] TwoUnits = [0, 0, 0, 2, 0x06, 0x05, 0, 0, 0, 3, 0x65, 0x88, 0x84];

    [Fact]
    public void TryReadNext_TwoUnits_ReturnsBothThenEnd()
    {
        var reader = new NalUnitReader(TwoUnits);
        Assert.True(reader.TryReadNext(out var first));
        Assert.Equal(new byte[] { 0x06, 0x05 }, first.ToArray());
        Assert.Equal(6, NalUnitReader.H264NalType(first));
        Assert.True(reader.TryReadNext(out var second));
        Assert.Equal(5, NalUnitReader.H264NalType(second));
        Assert.False(reader.TryReadNext(out _));
        Assert.Equal(NalValidationError.None, reader.Error);
        Assert.Equal(TwoUnits.Length, reader.Position);
    }

    [Fact]
    public void Validate_Empty_IsValidWithZeroUnits()
    {
        var result = NalUnitReader.Validate([]);
        Assert.True(result.IsValid);
        Assert.Equal(0, result.Count);
    }

    [Fact]
    public void Validate_TwoUnits_CountsBoth()
    {
        var result = NalUnitReader.Validate(TwoUnits);
        Assert.True(result.IsValid);
        Assert.Equal(2, result.Count);
        Assert.Equal(TwoUnits.Length, result.Offset);
    }

    [Theory]
    [InlineData(new byte[] { 0, 0, 0, 4, 0x65, 0x88 }, NalValidationError.LengthOverrun, 0)]
    [InlineData(new byte[] { 0, 0, 0, 0 }, NalValidationError.ZeroLength, 0)]
    [InlineData(new byte[] { 0, 0, 0, 1, 0x85 }, NalValidationError.ForbiddenBitSet, 0)]
    [InlineData(new byte[] { 0, 0, 0, 1, 0x65, 0, 0 }, NalValidationError.TruncatedLength, 5)]
    [InlineData(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0x65 }, NalValidationError.LengthOverrun, 0)]
    [InlineData(new byte[] { 0, 0, 1 }, NalValidationError.TruncatedLength, 0)]
    public void Validate_Malformed_ReturnsReasonAndOffset(byte[] data, NalValidationError error, int offset)
    {
        var result = NalUnitReader.Validate(data);
        Assert.False(result.IsValid);
        Assert.Equal(error, result.Error);
        Assert.Equal(offset, result.Offset);
        Assert.False(string.IsNullOrEmpty(result.Describe()));
    }

    [Fact]
    public void Validate_LengthOverrun_DescribesClaimAndRemainder()
    {
        var result = NalUnitReader.Validate([0, 0, 0, 4, 0x65, 0x88]);
        Assert.Equal("NAL unit at offset 0 claims 4 bytes, only 2 remain.", result.Describe());
    }

    [Fact]
    public void Validate_EveryTruncation_IsInvalid()
    {
        for (var length = 1; length < TwoUnits.Length; length++)
        {
            if (length == 6)
            {
                continue; // exactly the first unit: a valid access unit of its own
            }

            Assert.False(NalUnitReader.Validate(TwoUnits.AsSpan(0, length)).IsValid);
        }
    }

    [Fact]
    public void TryReadNext_AfterError_StaysStopped()
    {
        var reader = new NalUnitReader([0, 0, 0, 1, 0x65, 0, 0, 0, 0]);
        Assert.True(reader.TryReadNext(out _));
        Assert.False(reader.TryReadNext(out _));
        Assert.Equal(NalValidationError.ZeroLength, reader.Error);
        Assert.False(reader.TryReadNext(out _));
        Assert.Equal(1, reader.Result.Count);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Validate_ShortLengthPrefixes_Works(int lengthSize)
    {
        byte[] data = lengthSize == 1 ? [2, 0x41, 0x9A, 1, 0x41] : [0, 2, 0x41, 0x9A, 0, 1, 0x41];
        Assert.Equal(2, NalUnitReader.Validate(data, lengthSize).Count);
    }

    [Fact]
    public void ConvertToAnnexB_TwoUnits_WritesStartCodes()
    {
        var data = (byte[])TwoUnits.Clone();
        Assert.Equal(2, NalUnitReader.ConvertToAnnexB(data));
        Assert.Equal(new byte[] { 0, 0, 0, 1, 0x06, 0x05, 0, 0, 0, 1, 0x65, 0x88, 0x84 }, data);
    }

    [Fact]
    public void ConvertToAnnexB_Malformed_ThrowsMediaFormat() =>
        Assert.Throws<MediaFormatException>(() => NalUnitReader.ConvertToAnnexB(new byte[] { 0, 0, 0, 0 }));

    [Fact]
    public void HevcNalType_IdrWRadl_Is19() => Assert.Equal(19, NalUnitReader.HevcNalType([0x26, 0x01]));

    [Fact]
    public void ContainsKeyframe_H264Idr_True() => Assert.True(NalUnitReader.ContainsKeyframe(TwoUnits, VideoCodec.H264));

    [Fact]
    public void ContainsKeyframe_H264NonIdr_False() =>
        Assert.False(NalUnitReader.ContainsKeyframe([0, 0, 0, 2, 0x41, 0x9A], VideoCodec.H264));

    [Fact]
    public void ContainsKeyframe_MalformedAfterKeyframeSlice_ReadsOnlyTheValidPart() =>
        Assert.False(NalUnitReader.ContainsKeyframe([0, 0, 0, 0, 0, 0, 0, 1, 0x65], VideoCodec.H264));
}
