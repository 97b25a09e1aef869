using System.Buffers.Binary;

namespace Receiver.LoadBench;

/// <summary>What a <see cref="WebSocketFrameParser"/> found complete.</summary>
public enum WebSocketMessageKind
{
    Text,
    Binary,
    Close,
    Ping,
    Pong,
}

/// <summary>
/// The server-to-client side of RFC 6455 framing, read incrementally from whatever a socket read returned: frame
/// headers (7-, 16- and 64-bit lengths), messages made of several frames (continuations), and control frames between
/// them. Of a data message only its first <see cref="PrefixLength"/> bytes are kept (what a viewer reads of the
/// receiver's media header); the rest is skipped where it lies, never copied. Server frames must not be masked and no
/// extension is negotiated, so a mask or a reserved bit is an error, as are an unknown opcode, a control frame longer
/// than 125 bytes or split, a continuation without a message and a new message inside one
/// (<see cref="InvalidDataException"/>: the connection cannot go on).
/// </summary>
public sealed class WebSocketFrameParser(int prefixLength)
{
    private const int MaxControlPayload = 125;
    private const int MaxHeaderLength = 10;

    private readonly byte[] _header = new byte[MaxHeaderLength];
    private readonly byte[] _prefix = new byte[prefixLength];
    private readonly byte[] _control = new byte[MaxControlPayload];
    private int _headerLength;
    private long _payloadLeft;
    private bool _inPayload;
    private bool _final;
    private byte _opcode;
    private int _controlLength;

    /// <summary>A data message is in progress (its first frame came, its final one not yet).</summary>
    private WebSocketMessageKind? _message;
    private int _prefixFilled;
    private long _messageLength;

    /// <summary>Bytes of each data message kept in <see cref="Prefix"/>.</summary>
    public int PrefixLength => _prefix.Length;

    /// <summary>The first bytes (up to <see cref="PrefixLength"/>) of the data message just completed.</summary>
    public ReadOnlySpan<byte> Prefix => _prefix.AsSpan(0, _prefixFilled);

    /// <summary>Length of the data message just completed, all its frames together.</summary>
    public long MessageLength => _messageLength;

    /// <summary>The payload of the control frame just completed (a close frame's status code and reason).</summary>
    public ReadOnlySpan<byte> ControlPayload => _control.AsSpan(0, _controlLength);

    /// <summary>A close frame's status code (1005 when it carried none).</summary>
    public int CloseStatus => _controlLength >= 2 ? BinaryPrimitives.ReadUInt16BigEndian(_control) : 1005;

    /// <summary>A close frame's reason.</summary>
    public string CloseReason => _controlLength > 2 ? System.Text.Encoding.UTF8.GetString(_control, 2, _controlLength - 2) : string.Empty;

    /// <summary>
    /// Reads from <paramref name="data"/> up to the end of the next complete data message or control frame.
    /// Returns true when one completed (<paramref name="kind"/>; its bytes are in <see cref="Prefix"/> or
    /// <see cref="ControlPayload"/> until the next call) after <paramref name="consumed"/> bytes; false when all of
    /// <paramref name="data"/> was consumed without completing one.
    /// </summary>
    public bool TryRead(ReadOnlySpan<byte> data, out int consumed, out WebSocketMessageKind kind)
    {
        consumed = 0;
        kind = default;
        while (consumed < data.Length || (_inPayload && _payloadLeft == 0))
        {
            if (!_inPayload)
            {
                consumed += ReadHeader(data[consumed..]);
                if (!_inPayload)
                {
                    continue;
                }
            }

            var take = (int)Math.Min(_payloadLeft, data.Length - consumed);
            var payload = data.Slice(consumed, take);
            if (IsControl(_opcode))
            {
                payload.CopyTo(_control.AsSpan(_controlLength));
                _controlLength += take;
            }
            else if (_prefixFilled < _prefix.Length)
            {
                var keep = Math.Min(take, _prefix.Length - _prefixFilled);
                payload[..keep].CopyTo(_prefix.AsSpan(_prefixFilled));
                _prefixFilled += keep;
            }

            consumed += take;
            _payloadLeft -= take;
            if (_payloadLeft > 0)
            {
                continue;
            }

            _inPayload = false;
            if (IsControl(_opcode))
            {
                kind = _opcode switch { 0x8 => WebSocketMessageKind.Close, 0x9 => WebSocketMessageKind.Ping, _ => WebSocketMessageKind.Pong };
                return true;
            }

            if (_final)
            {
                kind = _message!.Value;
                _message = null;
                return true;
            }
        }

        return false;
    }

    /// <summary>Takes header bytes; once the header is whole, sets up its payload. Returns the bytes taken.</summary>
    private int ReadHeader(ReadOnlySpan<byte> data)
    {
        var taken = 0;
        while (_headerLength < 2 && taken < data.Length)
        {
            _header[_headerLength++] = data[taken++];
        }

        if (_headerLength < 2)
        {
            return taken;
        }

        var lengthField = _header[1] & 0x7F;
        var needed = 2 + (lengthField == 126 ? 2 : lengthField == 127 ? 8 : 0);
        var more = Math.Min(needed - _headerLength, data.Length - taken);
        data.Slice(taken, more).CopyTo(_header.AsSpan(_headerLength));
        _headerLength += more;
        taken += more;
        if (_headerLength < needed)
        {
            return taken;
        }

        Begin(lengthField);
        _headerLength = 0;
        return taken;
    }

    private void Begin(int lengthField)
    {
        var first = _header[0];
        if ((first & 0x70) != 0)
        {
            throw new InvalidDataException("a reserved bit is set, but no extension was negotiated");
        }

        if ((_header[1] & 0x80) != 0)
        {
            throw new InvalidDataException("a frame from the server is masked");
        }

        _final = (first & 0x80) != 0;
        _opcode = (byte)(first & 0x0F);
        var length = lengthField switch
        {
            126 => BinaryPrimitives.ReadUInt16BigEndian(_header.AsSpan(2)),
            127 => BinaryPrimitives.ReadInt64BigEndian(_header.AsSpan(2)),
            _ => lengthField,
        };
        if (length < 0)
        {
            throw new InvalidDataException("a 64-bit frame length has its most significant bit set");
        }

        if (IsControl(_opcode))
        {
            if (_opcode > 0xA)
            {
                throw new InvalidDataException($"unknown control opcode 0x{_opcode:X}");
            }

            if (!_final || length > MaxControlPayload)
            {
                throw new InvalidDataException("a control frame is split or longer than 125 bytes");
            }

            _controlLength = 0;
        }
        else if (_opcode == 0x0)
        {
            if (_message is null)
            {
                throw new InvalidDataException("a continuation frame without a message to continue");
            }
        }
        else
        {
            if (_opcode > 0x2)
            {
                throw new InvalidDataException($"unknown data opcode 0x{_opcode:X}");
            }

            if (_message is not null)
            {
                throw new InvalidDataException("a new message began before the last one's final frame");
            }

            _message = _opcode == 0x1 ? WebSocketMessageKind.Text : WebSocketMessageKind.Binary;
            _prefixFilled = 0;
            _messageLength = 0;
        }

        if (!IsControl(_opcode))
        {
            _messageLength += length;
        }

        _payloadLeft = length;
        _inPayload = true;
    }

    private static bool IsControl(byte opcode) => (opcode & 0x8) != 0;
}
