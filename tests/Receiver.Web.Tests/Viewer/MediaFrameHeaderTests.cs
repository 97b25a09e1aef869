using Receiver.Core.Media;
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
    public void Write_Backlog_SetsFlagBitOneAndRoundTrips()
    {
        var header = new MediaFrameHeader(MediaFrameKind.Media, false, 7, 1, 2, 3, 4, IsBacklog: true);
        var bytes = new byte[MediaFrameHeader.Length];
        header.Write(bytes);
        Assert.Equal(0x02, bytes[1]);
        Assert.Equal(header, MediaFrameHeader.Read(bytes));
        (header with { IsKeyframe = true }).Write(bytes);
        Assert.Equal(0x03, bytes[1]);
        Assert.False(MediaFrameHeader.Read(bytes[..1].Concat(new byte[] { 0x01 }).Concat(bytes[2..]).ToArray()).IsBacklog);
    }

    [Fact]
    public void Write_BacklogEnd_SetsFlagBitTwoAndRoundTrips()
    {
        var header = new MediaFrameHeader(MediaFrameKind.Media, false, 7, 1, 2, 3, 4, IsBacklog: true, IsBacklogEnd: true);
        var bytes = new byte[MediaFrameHeader.Length];
        header.Write(bytes);
        Assert.Equal(0x06, bytes[1]);
        Assert.Equal(header, MediaFrameHeader.Read(bytes));
    }

    [Theory]
    [InlineData(MediaStreamMode.WebCodecs, null, AudioDelivery.Pcm)]
    [InlineData(MediaStreamMode.WebCodecs, "aac", AudioDelivery.Aac)]
    [InlineData(MediaStreamMode.WebCodecs, "PCM", AudioDelivery.Pcm)]
    [InlineData(MediaStreamMode.Mse, null, AudioDelivery.Aac)]
    [InlineData(MediaStreamMode.Mse, "aac", AudioDelivery.Aac)]
    public void TryChooseAudio_PerMode_WebCodecsGetsPcmAndMseAac(MediaStreamMode mode, string? value, AudioDelivery expected)
    {
        Assert.True(MediaEndpoints.TryChooseAudio(mode, value, out var audio));
        Assert.Equal(expected, audio);
    }

    [Theory]
    [InlineData(MediaStreamMode.Mse, "pcm")]
    [InlineData(MediaStreamMode.WebCodecs, "opus")]
    public void TryChooseAudio_UnplayableChoice_ReturnsFalse(MediaStreamMode mode, string value)
    {
        Assert.False(MediaEndpoints.TryChooseAudio(mode, value, out _));
    }

    [Fact]
    public void AudioFormatMessage_Pcm_NamesTheCodecAndCarriesNoDescription()
    {
        var message = AudioFormatMessage.Create(AudioFormat.Pcm16(44100, 2, 480), MediaStreamMode.WebCodecs);
        Assert.Equal("pcm", message.Codec);
        Assert.Equal("pcm-s16", message.CodecString);
        Assert.Equal(string.Empty, message.Description);
        Assert.Equal("aac", AudioFormatMessage.Create(AudioFormat.AacLc44100Stereo, MediaStreamMode.Mse).Codec);
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
