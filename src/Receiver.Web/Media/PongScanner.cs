using System.Buffers.Binary;

namespace Receiver.Web.Media;

/// <summary>
/// Follows the frames a viewer sends, in whatever pieces they arrive, and reports the pongs that echo an 8-byte ping
/// payload (RFC 6455 §5.5.3: a pong carries the application data of the ping it answers). It reads only frame headers
/// and pong payloads and changes nothing: the bytes go on to the WebSocket that handles them. A frame that breaks the
/// rules stops it for good (<see cref="Faulted"/>); the WebSocket then fails the connection on the same bytes.
/// </summary>
internal sealed class PongScanner
{
    private readonly byte[] _header = new byte[WebSocketFrameHeader.MaxClientLength];
    private readonly byte[] _pong = new byte[sizeof(long)];
    private int _headerFilled;
    private bool _inPayload;
    private WebSocketFrameHeader _frame;
    private long _payloadRead;

    /// <summary>A malformed frame was seen; nothing more is scanned.</summary>
    public bool Faulted { get; private set; }

    /// <summary>Why <see cref="Faulted"/> is set, for the log.</summary>
    public string? Fault { get; private set; }

    /// <summary>
    /// Scans the next bytes of the viewer's stream and returns the payload of the last 8-byte pong completed in them
    /// (big-endian), or 0 when none was.
    /// </summary>
    public long Scan(ReadOnlySpan<byte> data)
    {
        long pong = 0;
        while (!data.IsEmpty && !Faulted)
        {
            if (!_inPayload)
            {
                data = ReadHeader(data);
                if (!_inPayload || _frame.PayloadLength > 0)
                {
                    continue;
                }
            }
            else
            {
                var take = (int)Math.Min(data.Length, _frame.PayloadLength - _payloadRead);
                if (IsTokenPong(_frame))
                {
                    for (var i = 0; i < take; i++)
                    {
                        var index = _payloadRead + i;
                        _pong[index] = (byte)(data[i] ^ (byte)(_frame.MaskingKey >> (24 - (8 * (int)(index & 3)))));
                    }
                }

                _payloadRead += take;
                data = data[take..];
                if (_payloadRead < _frame.PayloadLength)
                {
                    continue;
                }
            }

            if (IsTokenPong(_frame))
            {
                pong = BinaryPrimitives.ReadInt64BigEndian(_pong);
            }

            _inPayload = false;
        }

        return pong;
    }

    private static bool IsTokenPong(WebSocketFrameHeader frame) => frame.Opcode == WebSocketOpcode.Pong && frame.PayloadLength == sizeof(long);

    /// <summary>Adds header bytes until the header is whole; returns what follows it.</summary>
    private ReadOnlySpan<byte> ReadHeader(ReadOnlySpan<byte> data)
    {
        var copied = Math.Min(data.Length, _header.Length - _headerFilled);
        data[..copied].CopyTo(_header.AsSpan(_headerFilled));
        try
        {
            if (!WebSocketFrameHeader.TryReadClient(_header.AsSpan(0, _headerFilled + copied), out var frame))
            {
                _headerFilled += copied;
                return [];
            }

            var used = frame.Length - _headerFilled;
            _headerFilled = 0;
            _frame = frame;
            _payloadRead = 0;
            _inPayload = true;
            return data[used..];
        }
        catch (WebSocketFrameException ex)
        {
            Faulted = true;
            Fault = ex.Message;
            return [];
        }
    }
}
