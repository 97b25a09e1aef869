using Receiver.Core.FairPlay;

namespace Receiver.Core.Tests.FairPlay;

public sealed class ByteRotationTests
{
    [Theory]
    [InlineData(0x81, 1, 0x03)]
    [InlineData(0x96, 5, 0xD2)]
    [InlineData(0x01, 7, 0x80)]
    public void Rol8_RotatesWithinByte(byte value, int count, byte expected) =>
        Assert.Equal(expected, ByteRotation.Rol8(value, count));

    [Fact]
    public void Rol8Wide_KeepsBitsAboveTheByte() =>
        Assert.Equal(0xAB0u | 0x0Au, ByteRotation.Rol8Wide(0xAB, 4));

    [Fact]
    public void RotateLeftOrZero_CountZero_ReturnsZero() =>
        Assert.Equal(0u, ByteRotation.RotateLeftOrZero(0xFF, 0));

    [Fact]
    public void RotateLeftOrZero_MasksToByte() =>
        Assert.Equal(0x03u, ByteRotation.RotateLeftOrZero(0x81, 1));

    [Fact]
    public void RotateRightWideOrZero_KeepsBitsAboveTheByte()
    {
        Assert.Equal(0u, ByteRotation.RotateRightWideOrZero(92, 0));
        Assert.Equal((uint)((92 >> 3) | (92 << 5)), ByteRotation.RotateRightWideOrZero(92, 3));
    }

    [Fact]
    public void RotateLeftXorWideOrZero_XorsUnmaskedHalves()
    {
        Assert.Equal(0u, ByteRotation.RotateLeftXorWideOrZero(0xFF, 0));
        Assert.Equal((uint)((0xF1 << 6) ^ (0xF1 >> 2)), ByteRotation.RotateLeftXorWideOrZero(0xF1, 6));
    }
}
