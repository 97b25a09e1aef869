using Receiver.Core.Mirroring;

namespace Receiver.Core.Tests.Mirroring;

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
        Assert.Equal(TwoUnits.Length, reader.Position);
    }

    [Fact]
    public void Validate_Empty_ReturnsZero() => Assert.Equal(0, NalUnitReader.Validate([]));

    [Theory]
    [InlineData(new byte[] { 0, 0, 0, 4, 0x65, 0x88 })]
    [InlineData(new byte[] { 0, 0, 0, 0 })]
    [InlineData(new byte[] { 0, 0, 0, 1, 0x85 })]
    [InlineData(new byte[] { 0, 0, 0, 1, 0x65, 0, 0 })]
    [InlineData(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0x65 })]
    [InlineData(new byte[] { 0, 0, 1 })]
    public void Validate_Malformed_ThrowsMalformedNalUnits(byte[] data)
    {
        var ex = Assert.Throws<MirrorProtocolException>(() => NalUnitReader.Validate(data));
        Assert.Equal(MirrorProtocolError.MalformedNalUnits, ex.Error);
    }

    [Fact]
    public void Validate_EveryTruncation_Throws()
    {
        for (var length = 1; length < TwoUnits.Length; length++)
        {
            if (length == 6)
            {
                continue; // exactly the first unit: a valid access unit of its own
            }

            Assert.Throws<MirrorProtocolException>(() => NalUnitReader.Validate(TwoUnits.AsSpan(0, length)));
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Validate_ShortLengthPrefixes_Works(int lengthSize)
    {
        byte[] data = lengthSize == 1 ? [2, 0x41, 0x9A, 1, 0x41] : [0, 2, 0x41, 0x9A, 0, 1, 0x41];
        Assert.Equal(2, NalUnitReader.Validate(data, lengthSize));
    }

    [Fact]
    public void ConvertToAnnexB_TwoUnits_WritesStartCodes()
    {
        var data = (byte[])TwoUnits.Clone();
        Assert.Equal(2, NalUnitReader.ConvertToAnnexB(data));
        Assert.Equal(new byte[] { 0, 0, 0, 1, 0x06, 0x05, 0, 0, 0, 1, 0x65, 0x88, 0x84 }, data);
    }

    [Fact]
    public void HevcNalType_IdrWRadl_Is19() => Assert.Equal(19, NalUnitReader.HevcNalType([0x26, 0x01]));
}
