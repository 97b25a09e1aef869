using System.Buffers.Binary;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace Receiver.Web.Tests.Viewer;

/// <summary>
/// A WebSocket client that shows the frames themselves (RFC 6455, written here from the RFC, independent of the
/// receiver's code and of .NET's WebSocket): the handshake over a plain TCP socket, each server frame with its FIN bit,
/// opcode and payload, masked frames of its own, and reading part of a frame before letting go.
/// </summary>
public sealed class RawWebSocketClient : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly NetworkStream _stream;
    private readonly byte[] _buffer = new byte[64 * 1024];
    private int _start;
    private int _end;

    private RawWebSocketClient(Socket socket)
    {
        _socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: false);
    }

    public static async Task<RawWebSocketClient> ConnectAsync(Uri webUrl, string pathAndQuery, int receiveBufferBytes = 0)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        if (receiveBufferBytes > 0)
        {
            socket.ReceiveBufferSize = receiveBufferBytes;
        }

        await socket.ConnectAsync(webUrl.Host, webUrl.Port);
        var client = new RawWebSocketClient(socket);
        var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));
        var request = $"GET {pathAndQuery} HTTP/1.1\r\nHost: {webUrl.Authority}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
            $"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n";
        await client._stream.WriteAsync(Encoding.ASCII.GetBytes(request));
        var head = await client.ReadHeadAsync();
        if (!head.StartsWith("HTTP/1.1 101", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"no upgrade: {head}");
        }

#pragma warning disable CA5350 // RFC 6455's handshake hash
        var expected = Convert.ToBase64String(SHA1.HashData(Encoding.ASCII.GetBytes(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11")));
#pragma warning restore CA5350
        if (!head.Contains($"Sec-WebSocket-Accept: {expected}", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException($"wrong accept key: {head}");
        }

        return client;
    }

    /// <summary>Bytes received and not read yet.</summary>
    public int Available => _socket.Available + (_end - _start);

    /// <summary>Reads one whole frame; null when the server closed the connection.</summary>
    public async Task<RawFrame?> ReadFrameAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        var header = await ReadFrameHeaderAsync(cts.Token);
        if (header is null)
        {
            return null;
        }

        var payload = new byte[header.Value.PayloadLength];
        await ReadExactlyAsync(payload, cts.Token);
        return header.Value with { Payload = payload };
    }

    /// <summary>Reads a frame's header only (its payload is left unread); null when the server closed.</summary>
    public async Task<RawFrame?> ReadFrameHeaderAsync(CancellationToken cancellationToken)
    {
        var head = new byte[2];
        if (!await TryReadExactlyAsync(head, cancellationToken))
        {
            return null;
        }

        if ((head[1] & 0x80) != 0)
        {
            throw new InvalidOperationException("the server masked a frame");
        }

        long length = head[1] & 0x7F;
        if (length == 126)
        {
            var extended = new byte[2];
            await ReadExactlyAsync(extended, cancellationToken);
            length = BinaryPrimitives.ReadUInt16BigEndian(extended);
        }
        else if (length == 127)
        {
            var extended = new byte[8];
            await ReadExactlyAsync(extended, cancellationToken);
            length = BinaryPrimitives.ReadInt64BigEndian(extended);
        }

        return new RawFrame((head[0] & 0x80) != 0, head[0] & 0x0F, (head[0] & 0x70) != 0, checked((int)length), []);
    }

    /// <summary>Reads exactly <paramref name="destination"/>'s length of the stream (the middle of a frame, say).</summary>
    public async Task ReadExactlyAsync(Memory<byte> destination, CancellationToken cancellationToken)
    {
        if (!await TryReadExactlyAsync(destination, cancellationToken))
        {
            throw new EndOfStreamException();
        }
    }

    /// <summary>Sends one whole masked frame.</summary>
    public async Task SendFrameAsync(int opcode, ReadOnlyMemory<byte> payload)
    {
        var frame = new byte[14 + payload.Length];
        frame[0] = (byte)(0x80 | opcode);
        var at = 2;
        if (payload.Length <= 125)
        {
            frame[1] = (byte)(0x80 | payload.Length);
        }
        else
        {
            frame[1] = 0x80 | 126;
            BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(2), (ushort)payload.Length);
            at = 4;
        }

        var mask = RandomNumberGenerator.GetBytes(4);
        mask.CopyTo(frame, at);
        at += 4;
        for (var i = 0; i < payload.Length; i++)
        {
            frame[at + i] = (byte)(payload.Span[i] ^ mask[i % 4]);
        }

        await _stream.WriteAsync(frame.AsMemory(0, at + payload.Length));
    }

    /// <summary>Answers a ping (RFC 6455 §5.5.3: the pong echoes its payload).</summary>
    public Task SendPongAsync(RawFrame ping) => SendFrameAsync(0xA, ping.Payload);

    /// <summary>Lets go of the connection at once (a reset when unread bytes are left), wherever the stream is.</summary>
    public void Drop()
    {
        _socket.LingerState = new LingerOption(true, 0);
        _socket.Close();
    }

    public ValueTask DisposeAsync()
    {
        _stream.Dispose();
        _socket.Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task<string> ReadHeadAsync()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (true)
        {
            var text = Encoding.ASCII.GetString(_buffer, 0, _end);
            var endOfHead = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            if (endOfHead >= 0)
            {
                _start = endOfHead + 4;
                return text[..endOfHead];
            }

            var read = await _stream.ReadAsync(_buffer.AsMemory(_end), cts.Token);
            if (read == 0)
            {
                throw new EndOfStreamException(text);
            }

            _end += read;
        }
    }

    private async Task<bool> TryReadExactlyAsync(Memory<byte> destination, CancellationToken cancellationToken)
    {
        var filled = 0;
        while (filled < destination.Length)
        {
            if (_start < _end)
            {
                var take = Math.Min(_end - _start, destination.Length - filled);
                _buffer.AsMemory(_start, take).CopyTo(destination[filled..]);
                _start += take;
                filled += take;
                continue;
            }

            _start = _end = 0;
            var read = await _stream.ReadAsync(_buffer, cancellationToken);
            if (read == 0)
            {
                return filled == 0 ? false : throw new EndOfStreamException("the connection ended inside a frame");
            }

            _end = read;
        }

        return true;
    }
}

/// <summary>One frame as the server sent it.</summary>
public readonly record struct RawFrame(bool Fin, int Opcode, bool Reserved, int PayloadLength, byte[] Payload)
{
    public const int Text = 0x1;
    public const int Binary = 0x2;
    public const int Close = 0x8;
    public const int Ping = 0x9;
}
