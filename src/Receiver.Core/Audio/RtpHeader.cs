using System.Buffers.Binary;

namespace Receiver.Core.Audio;

/// <summary>The 12-byte RTP header of an AirPlay audio packet.</summary>
public readonly record struct RtpHeader(byte PayloadType, ushort SequenceNumber, uint Timestamp, uint Ssrc)
{
    public const int Length = 12;

    public static bool TryParse(ReadOnlySpan<byte> packet, out RtpHeader header)
    {
        if (packet.Length < Length || (packet[0] >> 6) != 2)
        {
            header = default;
            return false;
        }

        header = new RtpHeader(
            (byte)(packet[1] & 0x7F),
            BinaryPrimitives.ReadUInt16BigEndian(packet[2..]),
            BinaryPrimitives.ReadUInt32BigEndian(packet[4..]),
            BinaryPrimitives.ReadUInt32BigEndian(packet[8..]));
        return true;
    }

    public void WriteTo(Span<byte> destination, bool marker = false)
    {
        destination[0] = 0x80;
        destination[1] = (byte)(PayloadType | (marker ? 0x80 : 0));
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], SequenceNumber);
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], Timestamp);
        BinaryPrimitives.WriteUInt32BigEndian(destination[8..], Ssrc);
    }
}
