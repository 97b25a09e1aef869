using Receiver.Core.Rtp;

namespace Receiver.Core.Audio;

/// <summary>
/// A 0x56 retransmitted packet on the control port (docs/PROTOCOL.md §8.5): 4 bytes of header, then a complete
/// original RTP packet.
/// </summary>
public static class AudioRetransmission
{
    /// <summary>Packet type (byte 1 without the marker bit).</summary>
    public const byte Type = 0x56;

    public const int HeaderLength = 4;

    /// <summary>Returns the RTP packet inside a retransmission, or false for another packet type or an empty one.</summary>
    public static bool TryGetPacket(ReadOnlySpan<byte> packet, out ReadOnlySpan<byte> rtp)
    {
        if (packet.Length < HeaderLength + RtpHeader.FixedLength || (packet[1] & 0x7F) != Type)
        {
            rtp = default;
            return false;
        }

        rtp = packet[HeaderLength..];
        return true;
    }

    /// <summary>Wraps an RTP packet the way a sender answers a resend request.</summary>
    public static byte[] Create(ushort sequence, ReadOnlySpan<byte> rtp)
    {
        var packet = new byte[HeaderLength + rtp.Length];
        packet[0] = 0x80;
        packet[1] = 0x80 | Type;
        System.Buffers.Binary.BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), sequence);
        rtp.CopyTo(packet.AsSpan(HeaderLength));
        return packet;
    }
}
