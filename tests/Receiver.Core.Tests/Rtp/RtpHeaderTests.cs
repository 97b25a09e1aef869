using Receiver.Core.Rtp;

namespace Receiver.Core.Tests.Rtp;

public sealed class RtpHeaderTests
{
    [Fact]
    public void TryParse_WhatThePacketizerWrites_ReadsEveryField()
    {
        var packet = new byte[20];
        new RtpPacketizer(111, 0xCAFEBABE, 65535).WriteHeader(packet, 0x01020304, marker: true);

        Assert.True(RtpHeader.TryParse(packet, out var header));
        Assert.Equal(new RtpHeader(111, 65535, 0x01020304, 0xCAFEBABE, Marker: true, PayloadOffset: 12), header);
    }

    [Fact]
    public void WriteTo_AnAirPlayAudioPacket_ReadsBackWithItsPayloadAfterTheFixedHeader()
    {
        // A sender's first audio packet: marker set, payload type 96, payload right after the 12 bytes.
        var packet = new byte[RtpHeader.FixedLength + 4];
        Assert.Equal(RtpHeader.FixedLength, new RtpHeader(96, 40000, 0x8000_0001, 0x1234, Marker: true).WriteTo(packet));
        packet[RtpHeader.FixedLength] = 0xAB;

        Assert.Equal(0x80, packet[0]);
        Assert.Equal(0xE0, packet[1]);
        Assert.True(RtpHeader.TryParse(packet, out var header));
        Assert.Equal(new RtpHeader(96, 40000, 0x8000_0001, 0x1234, Marker: true), header);
        Assert.Equal(0xAB, packet[header.PayloadOffset]);
    }

    [Fact]
    public void TryParse_CsrcsAndExtension_PayloadStartsAfterThem()
    {
        // Two CSRCs (8 bytes) and a one-word extension (4 + 4 bytes), then 3 payload bytes.
        byte[] packet = [0x92, 96, 0, 1, 0, 0, 0, 9, 0, 0, 0, 7, 1, 1, 1, 1, 2, 2, 2, 2, 0xBE, 0xDE, 0, 1, 5, 5, 5, 5, 0xAA, 0xBB, 0xCC];

        Assert.True(RtpHeader.TryParse(packet, out var header));
        Assert.Equal(28, header.PayloadOffset);
        Assert.Equal(9u, header.Timestamp);
    }

    [Theory]
    [InlineData(new byte[] { 0x80, 96, 0, 1, 0, 0, 0, 9, 0, 0, 0 })] // shorter than the fixed header
    [InlineData(new byte[] { 0x40, 96, 0, 1, 0, 0, 0, 9, 0, 0, 0, 7 })] // version 1
    [InlineData(new byte[] { 0x81, 96, 0, 1, 0, 0, 0, 9, 0, 0, 0, 7 })] // a CSRC announced, not there
    [InlineData(new byte[] { 0x90, 96, 0, 1, 0, 0, 0, 9, 0, 0, 0, 7, 0xBE, 0xDE, 0, 2, 0, 0, 0, 0 })] // extension runs past the end
    [InlineData(new byte[] { 0x80, 200, 0, 1, 0, 0, 0, 9, 0, 0, 0, 7 })] // RTCP sender report
    public void TryParse_NotAnRtpPacket_False(byte[] packet)
    {
        Assert.False(RtpHeader.TryParse(packet, out _));
    }

    [Fact]
    public void TryParse_EveryPrefixOfAValidPacketShorterThanItsHeader_False()
    {
        byte[] packet = [0x91, 96, 0, 1, 0, 0, 0, 9, 0, 0, 0, 7, 1, 1, 1, 1, 0xBE, 0xDE, 0, 1, 5, 5, 5, 5];
        for (var length = 0; length < packet.Length; length++)
        {
            Assert.False(RtpHeader.TryParse(packet.AsSpan(0, length), out _), $"prefix of {length} bytes");
        }

        Assert.True(RtpHeader.TryParse(packet, out var header));
        Assert.Equal(packet.Length, header.PayloadOffset);
    }
}
