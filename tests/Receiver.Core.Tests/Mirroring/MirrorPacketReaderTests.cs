using System.Buffers;
using Receiver.Core.Mirroring;

namespace Receiver.Core.Tests.Mirroring;

public class MirrorPacketReaderTests
{
    private const int Max = MirrorPacketReader.DefaultMaxPayload;

    [Fact]
    public void TryRead_EveryPrefix_IsIncompleteAndUntouched()
    {
        var packet = Packet(MirrorPayloadType.Video, 300, 9);
        for (var length = 0; length < packet.Length; length++)
        {
            var buffer = new ReadOnlySequence<byte>(packet, 0, length);
            Assert.False(MirrorPacketReader.TryRead(ref buffer, Max, out _, out _), $"prefix {length}");
            Assert.Equal(length, buffer.Length);
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(127)]
    [InlineData(128)]
    [InlineData(100_000)]
    public void TryRead_SegmentedStream_ReadsEveryPacket(int segmentLength)
    {
        byte[] stream = [.. Packet(MirrorPayloadType.CodecData, 40, 1), .. Packet(MirrorPayloadType.Video, 1000, 2), .. Packet(MirrorPayloadType.Heartbeat, 0, 3), .. Packet(MirrorPayloadType.Video, 5, 4)];
        var buffer = Segments.Split(stream, segmentLength);

        var packets = new List<(MirrorPacketHeader Header, byte[] Payload)>();
        while (MirrorPacketReader.TryRead(ref buffer, Max, out var header, out var payload))
        {
            packets.Add((header, payload.ToArray()));
        }

        Assert.Equal(0, buffer.Length);
        Assert.Equal([MirrorPayloadType.CodecData, MirrorPayloadType.Video, MirrorPayloadType.Heartbeat, MirrorPayloadType.Video], packets.Select(p => p.Header.PayloadType));
        Assert.Equal([40, 1000, 0, 5], packets.Select(p => p.Payload.Length));
        Assert.Equal([1UL, 2UL, 3UL, 4UL], packets.Select(p => p.Header.Timestamp));
        Assert.All(packets, p => Assert.All(p.Payload, b => Assert.Equal((byte)p.Header.Timestamp, b)));
    }

    [Fact]
    public void TryRead_TwoGigabyteAnnouncement_ThrowsBeforeBuffering()
    {
        var header = new byte[128];
        new MirrorPacketHeader { PayloadSize = 0x8000_0000u, PayloadType = MirrorPayloadType.Video }.WriteTo(header);
        var buffer = new ReadOnlySequence<byte>(header);

        var ex = Assert.Throws<MirrorProtocolException>(() => MirrorPacketReader.TryRead(ref buffer, Max, out _, out _));
        Assert.Equal(MirrorProtocolError.PayloadTooLarge, ex.Error);
    }

    [Fact]
    public void TryRead_MaxUInt32Announcement_Throws()
    {
        var header = new byte[128];
        new MirrorPacketHeader { PayloadSize = uint.MaxValue }.WriteTo(header);
        var buffer = new ReadOnlySequence<byte>(header);
        Assert.Throws<MirrorProtocolException>(() => MirrorPacketReader.TryRead(ref buffer, int.MaxValue, out _, out _));
    }

    [Fact]
    public void TryRead_PayloadExactlyAtLimit_IsAccepted()
    {
        var buffer = new ReadOnlySequence<byte>(Packet(MirrorPayloadType.Video, 64, 0));
        Assert.True(MirrorPacketReader.TryRead(ref buffer, 64, out var header, out var payload));
        Assert.Equal(64u, header.PayloadSize);
        Assert.Equal(64, payload.Length);

        var over = new ReadOnlySequence<byte>(Packet(MirrorPayloadType.Video, 65, 0));
        Assert.Throws<MirrorProtocolException>(() => MirrorPacketReader.TryRead(ref over, 64, out _, out _));
    }

    [Fact]
    public void TryRead_TruncatedPayload_IsIncomplete()
    {
        var packet = Packet(MirrorPayloadType.Video, 500, 1);
        var buffer = Segments.Split(packet[..^1], 50);
        Assert.False(MirrorPacketReader.TryRead(ref buffer, Max, out var header, out _));
        Assert.Equal(500u, header.PayloadSize);
        Assert.Equal(packet.Length - 1, buffer.Length);
    }

    internal static byte[] Packet(MirrorPayloadType type, int payloadLength, ulong timestamp)
    {
        var packet = new byte[128 + payloadLength];
        new MirrorPacketHeader { PayloadSize = (uint)payloadLength, PayloadType = type, Timestamp = timestamp }.WriteTo(packet);
        packet.AsSpan(128).Fill((byte)timestamp);
        return packet;
    }
}
