using System.Net;
using System.Text;
using Receiver.Core.Media;
using Receiver.Web.WebRtc;

namespace Receiver.Web.Tests.WebRtc;

public sealed class WebRtcSignalTests
{
    [Fact]
    public void TryParse_Answer_ReturnsItsSdp()
    {
        Assert.True(WebRtcSignal.TryParse("{\"type\":\"answer\",\"sdp\":\"v=0\\r\\n\"}"u8, out var signal, out var error));
        Assert.Null(error);
        Assert.Equal("v=0\r\n", signal!.Sdp);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[]")]
    [InlineData("{\"type\":\"offer\",\"sdp\":\"v=0\"}")]
    [InlineData("{\"type\":\"answer\",\"sdp\":\"\"}")]
    [InlineData("{\"type\":\"answer\",\"sdp\":5}")]
    [InlineData("{\"type\":\"answer\"}")]
    public void TryParse_AnythingElse_IsRefusedWithAReason(string text)
    {
        Assert.False(WebRtcSignal.TryParse(Encoding.UTF8.GetBytes(text), out var signal, out var error));
        Assert.Null(signal);
        Assert.False(string.IsNullOrEmpty(error));
    }

    [Fact]
    public void TryParse_OverTheCap_IsRefused()
    {
        var text = "{\"type\":\"answer\",\"sdp\":\"" + new string('a', WebRtcSignal.MaxBytes) + "\"}";
        Assert.False(WebRtcSignal.TryParse(Encoding.UTF8.GetBytes(text), out _, out var error));
        Assert.Contains("bytes", error, StringComparison.Ordinal);
    }

    [Fact]
    public void ProfileLevelId_IsProfileConstraintsAndLevelOfTheSps()
    {
        var format = new VideoFormat(VideoCodec.H264, 320, 240, "avc1.42C00D", ReadOnlyMemory<byte>.Empty,
            [new byte[] { 0x67, 0x42, 0xC0, 0x0D, 0x01 }, new byte[] { 0x68, 0xCE }]);
        Assert.Equal("42c00d", JanusIngest.ProfileLevelId(format));
    }

    [Fact]
    public void OpusArguments_SendOpusRtpWithPayloadType111ToTheEncodersOwnSocket()
    {
        var args = OpusRtpEncoder.Arguments(AudioFormat.Pcm16(44_100, 2, 480), new IPEndPoint(IPAddress.Loopback, 5002), 96_000, 40000, 40001);
        Assert.Equal("rtp://127.0.0.1:5002?pkt_size=1200&localrtpport=40000&localrtcpport=40001", args[^1]);
        Assert.Equal("111", args[args.ToList().IndexOf("-payload_type") + 1]);
        Assert.Equal("libopus", args[args.ToList().IndexOf("-c:a") + 1]);
        // The PCM goes in as Matroska (one Cluster per frame, read at once), Opus comes out at 48 kHz.
        Assert.Equal("matroska", args[args.ToList().IndexOf("-f") + 1]);
        Assert.Equal("48000", args[args.ToList().IndexOf("-ar") + 1]);
    }
}
