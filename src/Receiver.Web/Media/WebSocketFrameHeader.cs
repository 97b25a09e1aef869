using System.Buffers.Binary;

namespace Receiver.Web.Media;

/// <summary>
/// The header of one WebSocket frame (RFC 6455 §5.2): FIN, the opcode, the payload length and, for a client's frame,
/// its masking key. The receiver writes its own frames unmasked and never fragmented (<see cref="WriteServer"/>) and
/// reads a viewer's frame headers only to find the pong that answers its ping (<see cref="PongScanner"/>).
/// <code>
/// byte 0   FIN (0x80), RSV1-3 (0x70, 0 without extensions), opcode (0x0F)
/// byte 1   MASK (0x80: set on every client frame, never on a server's), payload length 0-125, 126 or 127
/// then     126: the length in 2 bytes; 127: in 8 bytes (big-endian, most significant bit 0)
/// then     the 4-byte masking key when MASK is set; the payload follows, XORed with the key
/// </code>
/// </summary>
internal readonly record struct WebSocketFrameHeader(bool Fin, WebSocketOpcode Opcode, bool Masked, long PayloadLength, uint MaskingKey, int Length)
{
    /// <summary>Longest header the receiver writes: 2 bytes and a 64-bit length.</summary>
    public const int MaxServerLength = 10;

    /// <summary>Longest header a client may send: 2 bytes, a 64-bit length and the masking key.</summary>
    public const int MaxClientLength = 14;

    /// <summary>Longest payload of a control frame (close, ping, pong).</summary>
    public const int MaxControlPayload = 125;

    public bool IsControl => (byte)Opcode >= 8;

    /// <summary>Bytes <see cref="WriteServer"/> writes for a payload of <paramref name="payloadLength"/> bytes.</summary>
    public static int ServerLength(long payloadLength) => payloadLength <= 125 ? 2 : payloadLength <= ushort.MaxValue ? 4 : 10;

    /// <summary>Writes the header of a whole (FIN), unmasked frame and returns its length.</summary>
    public static int WriteServer(Span<byte> destination, WebSocketOpcode opcode, long payloadLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(payloadLength);
        if ((byte)opcode >= 8 && payloadLength > MaxControlPayload)
        {
            throw new ArgumentOutOfRangeException(nameof(payloadLength), payloadLength, "A control frame carries at most 125 bytes.");
        }

        var length = ServerLength(payloadLength);
        if (destination.Length < length)
        {
            throw new ArgumentException($"The header needs {length} bytes.", nameof(destination));
        }

        destination[0] = (byte)(0x80 | (byte)opcode);
        switch (length)
        {
            case 2:
                destination[1] = (byte)payloadLength;
                break;
            case 4:
                destination[1] = 126;
                BinaryPrimitives.WriteUInt16BigEndian(destination[2..], (ushort)payloadLength);
                break;
            default:
                destination[1] = 127;
                BinaryPrimitives.WriteInt64BigEndian(destination[2..], payloadLength);
                break;
        }

        return length;
    }

    /// <summary>
    /// Reads a frame header from the start of <paramref name="source"/>: false when more bytes are needed (nothing is
    /// consumed); a header that breaks the rules for a client's frame without extensions (RSV bits set, an unknown
    /// opcode, no mask, a control frame fragmented or longer than 125 bytes, a 64-bit length with its top bit set)
    /// throws <see cref="WebSocketFrameException"/>.
    /// </summary>
    public static bool TryReadClient(ReadOnlySpan<byte> source, out WebSocketFrameHeader header)
    {
        header = default;
        if (source.Length < 2)
        {
            return false;
        }

        var first = source[0];
        var second = source[1];
        if ((first & 0x70) != 0)
        {
            throw new WebSocketFrameException("reserved bits set");
        }

        var opcode = (WebSocketOpcode)(first & 0x0F);
        if (!Enum.IsDefined(opcode))
        {
            throw new WebSocketFrameException($"unknown opcode {(byte)opcode}");
        }

        var masked = (second & 0x80) != 0;
        if (!masked)
        {
            throw new WebSocketFrameException("unmasked client frame");
        }

        var fin = (first & 0x80) != 0;
        var shortLength = second & 0x7F;
        var lengthBytes = shortLength switch { 126 => 2, 127 => 8, _ => 0 };
        var length = 2 + lengthBytes + 4;
        if (source.Length < length)
        {
            return false;
        }

        long payloadLength = lengthBytes switch
        {
            2 => BinaryPrimitives.ReadUInt16BigEndian(source[2..]),
            8 => BinaryPrimitives.ReadInt64BigEndian(source[2..]),
            _ => shortLength,
        };
        if (payloadLength < 0)
        {
            throw new WebSocketFrameException("payload length over 2^63");
        }

        if ((byte)opcode >= 8 && (!fin || payloadLength > MaxControlPayload))
        {
            throw new WebSocketFrameException("control frame fragmented or over 125 bytes");
        }

        header = new WebSocketFrameHeader(fin, opcode, masked, payloadLength, BinaryPrimitives.ReadUInt32BigEndian(source[(2 + lengthBytes)..]), length);
        return true;
    }
}
