using Receiver.Core.Media;

namespace Receiver.Core.Tests.Media;

public sealed class RbspTests
{
    [Theory]
    [InlineData("000000", "00000300")]
    [InlineData("000001", "00000301")]
    [InlineData("000003", "00000303")]
    [InlineData("000004", "000004")]
    [InlineData("0000000000", "00000300000300")]
    public void Escape_ZeroRuns_InsertsEmulationPreventionAndUnescapeReverses(string rbspHex, string escapedHex)
    {
        var rbsp = Convert.FromHexString(rbspHex);
        var escaped = Rbsp.Escape(rbsp);

        Assert.Equal(escapedHex, Convert.ToHexString(escaped), ignoreCase: true);
        Assert.Equal(rbsp, Rbsp.Unescape(escaped));
    }

    [Fact]
    public void BitWriterAndReader_ExpGolombValues_RoundTrip()
    {
        uint[] unsignedValues = [0, 1, 2, 3, 7, 8, 255, 65535, 1u << 20, uint.MaxValue - 1];
        int[] signedValues = [0, 1, -1, 2, -2, 1000, -1000, int.MaxValue, -int.MaxValue];
        var writer = new RbspBitWriter();
        foreach (var v in unsignedValues)
        {
            writer.WriteUe(v);
        }

        foreach (var v in signedValues)
        {
            writer.WriteSe(v);
        }

        writer.WriteBits(0x5A, 8);
        var reader = new RbspBitReader(writer.ToArrayWithTrailingBits());

        Assert.Equal(unsignedValues, unsignedValues.Select(_ => reader.ReadUe()));
        Assert.Equal(signedValues, signedValues.Select(_ => reader.ReadSe()));
        Assert.Equal(0x5Au, reader.ReadBits(8));
    }

    [Fact]
    public void ReadUe_AllZeroBits_ThrowsMediaFormatException()
    {
        var reader = new RbspBitReader(new byte[8]);

        Assert.Throws<MediaFormatException>(() => reader.ReadUe());
    }
}
