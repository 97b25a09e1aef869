using Receiver.Web.Media;

namespace Receiver.Web.Tests.Viewer;

public sealed class WebSocketFrameHeaderTests
{
    [Theory]
    [InlineData(0, "8200")]
    [InlineData(125, "827D")]
    [InlineData(126, "827E007E")]
    [InlineData(65535, "827EFFFF")]
    [InlineData(65536, "827F0000000000010000")]
    [InlineData(300 * 1024, "827F000000000004B000")]
    public void WriteServer_Binary_UsesTheShortestLengthForm(long payloadLength, string expected)
    {
        var header = new byte[WebSocketFrameHeader.MaxServerLength];
        var length = WebSocketFrameHeader.WriteServer(header, WebSocketOpcode.Binary, payloadLength);

        Assert.Equal(expected, Convert.ToHexString(header, 0, length));
        Assert.Equal(length, WebSocketFrameHeader.ServerLength(payloadLength));
    }

    [Fact]
    public void WriteServer_ControlFrameOver125Bytes_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => WebSocketFrameHeader.WriteServer(new byte[10], WebSocketOpcode.Ping, 126));
    }

    [Fact]
    public void WriteServer_TooSmallDestination_Throws()
    {
        Assert.Throws<ArgumentException>(() => WebSocketFrameHeader.WriteServer(new byte[3], WebSocketOpcode.Text, 200));
    }

    [Theory]
    [InlineData("8A88A1B2C3D4", 0xA, true, 8, 6)]
    [InlineData("81FE0100A1B2C3D4", 0x1, true, 256, 8)]
    [InlineData("02FF0000000000100000A1B2C3D4", 0x2, false, 1 << 20, 14)]
    public void TryReadClient_WholeHeader_ReadsItAndEveryPrefixIsIncomplete(string hex, int opcode, bool fin, long payloadLength, int length)
    {
        var bytes = Convert.FromHexString(hex);
        for (var prefix = 0; prefix < bytes.Length; prefix++)
        {
            Assert.False(WebSocketFrameHeader.TryReadClient(bytes.AsSpan(0, prefix), out _));
        }

        Assert.True(WebSocketFrameHeader.TryReadClient(bytes, out var header));
        Assert.Equal(((WebSocketOpcode)opcode, fin, payloadLength, length, 0xA1B2C3D4u), (header.Opcode, header.Fin, header.PayloadLength, header.Length, header.MaskingKey));
    }

    [Theory]
    [InlineData("C280A1B2C3D4", "reserved bits")]
    [InlineData("8380A1B2C3D4", "unknown opcode")]
    [InlineData("8208", "unmasked")]
    [InlineData("89FE007EA1B2C3D4", "control frame")]
    [InlineData("0980A1B2C3D4", "control frame")]
    [InlineData("82FF8000000000000000A1B2C3D4", "2^63")]
    public void TryReadClient_Malformed_ThrowsWithTheReason(string hex, string reason)
    {
        var error = Assert.Throws<WebSocketFrameException>(() => WebSocketFrameHeader.TryReadClient(Convert.FromHexString(hex), out _));
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AcceptKey_RfcExample_MatchesRfc6455()
    {
        // RFC 6455 §1.3.
        Assert.Equal("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", DirectViewerSocket.AcceptKey("dGhlIHNhbXBsZSBub25jZQ=="));
    }
}
