using Receiver.Web.Media;

namespace Receiver.Web.Tests.Viewer;

public sealed class MediaFrameHeaderTests
{
    [Fact]
    public void Write_ThenRead_RoundTrips()
    {
        var header = new MediaFrameHeader(MediaFrameKind.Media, true, 0xDEADBEEF, 1_234_567, 3_900_000_000_123_456_789, 1_700_000_000_000_000, 1_700_000_000_000_321);
        var bytes = new byte[MediaFrameHeader.Length + 3];
        header.Write(bytes);
        Assert.Equal(header, MediaFrameHeader.Read(bytes));
        Assert.Equal([2, 1, 0, 40, 0xDE, 0xAD, 0xBE, 0xEF], bytes[..8]);
    }

    [Fact]
    public void Read_Truncated_Throws()
    {
        Assert.Throws<FormatException>(() => MediaFrameHeader.Read(new byte[MediaFrameHeader.Length - 1]));
    }

    [Fact]
    public void Read_UnknownKind_Throws()
    {
        var bytes = new byte[MediaFrameHeader.Length];
        new MediaFrameHeader(MediaFrameKind.InitSegment, false, 0, 0, 0, 0, 0).Write(bytes);
        bytes[0] = 9;
        Assert.Throws<FormatException>(() => MediaFrameHeader.Read(bytes));
    }

    [Fact]
    public void Write_ShortDestination_Throws()
    {
        Assert.Throws<ArgumentException>(() => new MediaFrameHeader(MediaFrameKind.Media, false, 0, 0, 0, 0, 0).Write(new byte[10]));
    }

    [Theory]
    [InlineData(null, MediaStreamMode.Mse)]
    [InlineData("mse", MediaStreamMode.Mse)]
    [InlineData("WebCodecs", MediaStreamMode.WebCodecs)]
    public void TryParseMode_KnownValues_ReturnsMode(string? value, MediaStreamMode expected)
    {
        Assert.True(MediaEndpoints.TryParseMode(value, out var mode));
        Assert.Equal(expected, mode);
    }

    [Fact]
    public void TryParseMode_UnknownValue_ReturnsFalse()
    {
        Assert.False(MediaEndpoints.TryParseMode("hls", out _));
    }
}
