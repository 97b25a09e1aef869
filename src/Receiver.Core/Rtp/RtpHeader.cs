using System.Buffers.Binary;

namespace Receiver.Core.Rtp;

/// <summary>
/// The RTP fixed header (RFC 3550 §5.1) of a received packet: payload type, marker, sequence number, timestamp,
/// SSRC, and where the payload starts (after the CSRC list and a header extension, when present).
/// </summary>
public readonly record struct RtpHeader(byte PayloadType, bool Marker, ushort SequenceNumber, uint Timestamp, uint Ssrc, int PayloadOffset)
{
    /// <summary>Offset of the timestamp in the fixed header.</summary>
    public const int TimestampOffset = 4;

    /// <summary>Offset of the SSRC in the fixed header.</summary>
    public const int SsrcOffset = 8;

    /// <summary>
    /// Reads the header of one datagram; false when it is not RTP version 2 or is shorter than its own header
    /// (CSRCs and extension included). RTCP packets (payload types 72–76 with the marker bit) are refused as well.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> packet, out RtpHeader header)
    {
        header = default;
        if (packet.Length < RtpPacketizer.HeaderLength || packet[0] >> 6 != 2)
        {
            return false;
        }

        var payloadType = (byte)(packet[1] & 0x7F);
        if (payloadType is >= 72 and <= 76)
        {
            return false;
        }

        var offset = RtpPacketizer.HeaderLength + (4 * (packet[0] & 0x0F));
        if ((packet[0] & 0x10) != 0)
        {
            if (packet.Length < offset + 4)
            {
                return false;
            }

            offset += 4 + (4 * BinaryPrimitives.ReadUInt16BigEndian(packet[(offset + 2)..]));
        }

        var padding = (packet[0] & 0x20) != 0 && packet.Length > 0 ? packet[^1] : 0;
        if (packet.Length < offset + padding)
        {
            return false;
        }

        header = new RtpHeader(
            payloadType,
            (packet[1] & 0x80) != 0,
            BinaryPrimitives.ReadUInt16BigEndian(packet[2..]),
            BinaryPrimitives.ReadUInt32BigEndian(packet[TimestampOffset..]),
            BinaryPrimitives.ReadUInt32BigEndian(packet[SsrcOffset..]),
            offset);
        return true;
    }
}
