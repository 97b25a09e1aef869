using System.Buffers.Binary;

namespace Receiver.Core.Rtp;

/// <summary>
/// The RTP fixed header (RFC 3550 §5.1): payload type, sequence number, timestamp, SSRC, the marker bit, and where
/// the payload starts (after the CSRC list and a header extension, when present). One type for every RTP stream
/// of the receiver: the AirPlay sender's audio packets (always a bare 12-byte header) and the Opus packets of the
/// WebRTC relay.
/// </summary>
public readonly record struct RtpHeader(
    byte PayloadType,
    ushort SequenceNumber,
    uint Timestamp,
    uint Ssrc,
    bool Marker = false,
    int PayloadOffset = RtpHeader.FixedLength)
{
    /// <summary>Bytes of the fixed header: a packet without CSRCs or extension has its payload right after them.</summary>
    public const int FixedLength = 12;

    /// <summary>Offset of the timestamp in the fixed header.</summary>
    public const int TimestampOffset = 4;

    /// <summary>Offset of the SSRC in the fixed header.</summary>
    public const int SsrcOffset = 8;

    /// <summary>
    /// Reads the header of one datagram; false when it is not RTP version 2 or is shorter than its own header
    /// (CSRCs, extension and padding included). RTCP packets (payload types 72–76 with the marker bit) are refused
    /// as well.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> packet, out RtpHeader header)
    {
        header = default;
        if (packet.Length < FixedLength || packet[0] >> 6 != 2)
        {
            return false;
        }

        var payloadType = (byte)(packet[1] & 0x7F);
        if (payloadType is >= 72 and <= 76)
        {
            return false;
        }

        var offset = FixedLength + (4 * (packet[0] & 0x0F));
        if ((packet[0] & 0x10) != 0)
        {
            if (packet.Length < offset + 4)
            {
                return false;
            }

            offset += 4 + (4 * BinaryPrimitives.ReadUInt16BigEndian(packet[(offset + 2)..]));
        }

        var padding = (packet[0] & 0x20) != 0 ? packet[^1] : 0;
        if (packet.Length < offset + padding)
        {
            return false;
        }

        header = new RtpHeader(
            payloadType,
            BinaryPrimitives.ReadUInt16BigEndian(packet[2..]),
            BinaryPrimitives.ReadUInt32BigEndian(packet[TimestampOffset..]),
            BinaryPrimitives.ReadUInt32BigEndian(packet[SsrcOffset..]),
            (packet[1] & 0x80) != 0,
            offset);
        return true;
    }

    /// <summary>
    /// Writes this header as a bare fixed header (version 2, no padding, extension or CSRC) into the first
    /// <see cref="FixedLength"/> bytes of <paramref name="destination"/>; <see cref="PayloadOffset"/> is not written.
    /// </summary>
    public int WriteTo(Span<byte> destination)
    {
        destination[0] = 0x80;
        destination[1] = (byte)((Marker ? 0x80 : 0) | (PayloadType & 0x7F));
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], SequenceNumber);
        BinaryPrimitives.WriteUInt32BigEndian(destination[TimestampOffset..], Timestamp);
        BinaryPrimitives.WriteUInt32BigEndian(destination[SsrcOffset..], Ssrc);
        return FixedLength;
    }
}
