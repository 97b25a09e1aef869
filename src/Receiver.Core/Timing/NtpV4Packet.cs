using System.Buffers.Binary;

namespace Receiver.Core.Timing;

/// <summary>The standard 48-byte NTPv4 packets (RFC 5905) legacy senders answer on their port 7010.</summary>
public static class NtpV4Packet
{
    public const int Length = 48;

    /// <summary>A client request (LI 0, version 4, mode 3) with only the transmit time set.</summary>
    public static void WriteRequest(Span<byte> destination, ulong transmit)
    {
        destination[..Length].Clear();
        destination[0] = 0x23;
        BinaryPrimitives.WriteUInt64BigEndian(destination[40..], transmit);
    }

    /// <summary>A server reply (mode 4, stratum 1, reference id "AIRP") as a legacy sender writes it.</summary>
    public static void WriteReply(Span<byte> destination, ulong origin, ulong received, ulong transmit)
    {
        destination[..Length].Clear();
        destination[0] = 0x24;
        destination[1] = 0x01;
        destination[2] = 0x02;
        destination[3] = 0xE8;
        "AIRP"u8.CopyTo(destination[12..]);
        BinaryPrimitives.WriteUInt64BigEndian(destination[24..], origin);
        BinaryPrimitives.WriteUInt64BigEndian(destination[32..], received);
        BinaryPrimitives.WriteUInt64BigEndian(destination[40..], transmit);
    }

    public static bool TryReadReply(ReadOnlySpan<byte> packet, out ulong origin, out ulong received, out ulong transmit)
    {
        if (packet.Length < Length || (packet[0] & 0x07) != 4)
        {
            origin = received = transmit = 0;
            return false;
        }

        origin = BinaryPrimitives.ReadUInt64BigEndian(packet[24..]);
        received = BinaryPrimitives.ReadUInt64BigEndian(packet[32..]);
        transmit = BinaryPrimitives.ReadUInt64BigEndian(packet[40..]);
        return true;
    }

    public static bool TryReadRequestTransmit(ReadOnlySpan<byte> packet, out ulong transmit)
    {
        if (packet.Length < Length || (packet[0] & 0x07) != 3)
        {
            transmit = 0;
            return false;
        }

        transmit = BinaryPrimitives.ReadUInt64BigEndian(packet[40..]);
        return true;
    }
}
