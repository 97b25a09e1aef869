using System.Buffers.Binary;

namespace Receiver.Core.Audio;

/// <summary>
/// A 0x54 sync packet from the sender's control port (docs/PROTOCOL.md §8.5): RTP time <see cref="RtpTimestamp"/> is
/// sender NTP time <see cref="NtpTime"/> (32.32).
/// </summary>
public readonly record struct AudioSyncPacket(uint RtpTimestamp, ulong NtpTime, uint NextRtpTimestamp)
{
    /// <summary>Packet type (byte 1 without the marker bit).</summary>
    public const byte Type = 0x54;

    /// <summary>Shortest valid sync packet.</summary>
    public const int Length = 20;

    public static bool TryParse(ReadOnlySpan<byte> packet, out AudioSyncPacket sync)
    {
        if (packet.Length < Length || (packet[1] & 0x7F) != Type)
        {
            sync = default;
            return false;
        }

        sync = new AudioSyncPacket(
            BinaryPrimitives.ReadUInt32BigEndian(packet[4..]),
            BinaryPrimitives.ReadUInt64BigEndian(packet[8..]),
            BinaryPrimitives.ReadUInt32BigEndian(packet[16..]));
        return true;
    }

    /// <summary>Writes the 20-byte packet; <paramref name="first"/> sets the extension bit a sender uses on its first sync.</summary>
    public void WriteTo(Span<byte> destination, bool first)
    {
        destination[0] = first ? (byte)0x90 : (byte)0x80;
        destination[1] = 0x80 | Type;
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], 7);
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], RtpTimestamp);
        BinaryPrimitives.WriteUInt64BigEndian(destination[8..], NtpTime);
        BinaryPrimitives.WriteUInt32BigEndian(destination[16..], NextRtpTimestamp);
    }
}
