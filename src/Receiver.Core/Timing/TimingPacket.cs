using System.Buffers.Binary;

namespace Receiver.Core.Timing;

/// <summary>
/// AirPlay's 32-byte NTP-like timing packets (type 0x52 request, 0x53 reply) on the sender's timing port.
/// </summary>
public static class TimingPacket
{
    public const int Length = 32;
    public const byte RequestType = 0xD2;
    public const byte ReplyType = 0xD3;

    /// <summary>Writes a request: reference = the sender's last transmit time, receive = when that reply arrived, transmit = now.</summary>
    public static void WriteRequest(Span<byte> destination, ulong reference, ulong received, ulong transmit)
    {
        destination[..Length].Clear();
        destination[0] = 0x80;
        destination[1] = RequestType;
        destination[2] = 0x00;
        destination[3] = 0x07;
        BinaryPrimitives.WriteUInt64BigEndian(destination[8..], reference);
        BinaryPrimitives.WriteUInt64BigEndian(destination[16..], received);
        BinaryPrimitives.WriteUInt64BigEndian(destination[24..], transmit);
    }

    /// <summary>Writes the sender's reply to a request: origin = the request's transmit time.</summary>
    public static void WriteReply(Span<byte> destination, ulong origin, ulong received, ulong transmit)
    {
        destination[..Length].Clear();
        destination[0] = 0x80;
        destination[1] = ReplyType;
        destination[2] = 0x00;
        destination[3] = 0x07;
        BinaryPrimitives.WriteUInt64BigEndian(destination[8..], origin);
        BinaryPrimitives.WriteUInt64BigEndian(destination[16..], received);
        BinaryPrimitives.WriteUInt64BigEndian(destination[24..], transmit);
    }

    /// <summary>Reads origin (our echoed transmit), sender receive and sender transmit times; false if too short.</summary>
    public static bool TryReadTimes(ReadOnlySpan<byte> packet, out ulong origin, out ulong received, out ulong transmit)
    {
        if (packet.Length < Length)
        {
            origin = received = transmit = 0;
            return false;
        }

        origin = BinaryPrimitives.ReadUInt64BigEndian(packet[8..]);
        received = BinaryPrimitives.ReadUInt64BigEndian(packet[16..]);
        transmit = BinaryPrimitives.ReadUInt64BigEndian(packet[24..]);
        return true;
    }
}
