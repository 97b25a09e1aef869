namespace Receiver.Core.Rtp;

/// <summary>
/// The RTP fixed header (RFC 3550 §5.1) of one outgoing stream: version 2, no padding, extension or CSRC, one
/// payload type and SSRC, and a sequence number that advances by one per packet written.
/// </summary>
public sealed class RtpPacketizer
{
    /// <summary>Bytes of the fixed header.</summary>
    public const int HeaderLength = RtpHeader.FixedLength;

    private ushort _sequence;

    public RtpPacketizer(byte payloadType, uint ssrc, ushort firstSequence = 0)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(payloadType, (byte)127);
        PayloadType = payloadType;
        Ssrc = ssrc;
        _sequence = firstSequence;
    }

    public byte PayloadType { get; }

    public uint Ssrc { get; }

    /// <summary>The sequence number the next packet gets.</summary>
    public ushort NextSequence => _sequence;

    /// <summary>Writes the header of the next packet into the first <see cref="HeaderLength"/> bytes of <paramref name="destination"/>.</summary>
    public int WriteHeader(Span<byte> destination, uint timestamp, bool marker)
    {
        return new RtpHeader(PayloadType, _sequence++, timestamp, Ssrc, marker).WriteTo(destination);
    }
}
