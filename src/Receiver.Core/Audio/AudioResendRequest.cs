using System.Buffers.Binary;

namespace Receiver.Core.Audio;

/// <summary>
/// A 0x55 resend request, receiver to sender on the control port (docs/PROTOCOL.md §8.5):
/// <c>80 D5 &lt;own seq&gt; &lt;first missing seq&gt; &lt;count&gt;</c>, all big-endian 16-bit.
/// </summary>
public readonly record struct AudioResendRequest(ushort Sequence, ushort FirstMissing, ushort Count)
{
    /// <summary>Packet type (byte 1 without the marker bit).</summary>
    public const byte Type = 0x55;

    public const int Length = 8;

    public static bool TryParse(ReadOnlySpan<byte> packet, out AudioResendRequest request)
    {
        if (packet.Length < Length || (packet[1] & 0x7F) != Type)
        {
            request = default;
            return false;
        }

        request = new AudioResendRequest(
            BinaryPrimitives.ReadUInt16BigEndian(packet[2..]),
            BinaryPrimitives.ReadUInt16BigEndian(packet[4..]),
            BinaryPrimitives.ReadUInt16BigEndian(packet[6..]));
        return true;
    }

    public void WriteTo(Span<byte> destination)
    {
        destination[0] = 0x80;
        destination[1] = 0x80 | Type;
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], Sequence);
        BinaryPrimitives.WriteUInt16BigEndian(destination[4..], FirstMissing);
        BinaryPrimitives.WriteUInt16BigEndian(destination[6..], Count);
    }
}
