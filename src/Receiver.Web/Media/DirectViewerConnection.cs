using System.Buffers;
using System.Buffers.Binary;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Receiver.Web.Media;

/// <summary>
/// A plain-HTTP/1.1 viewer's media WebSocket, written straight to its TCP socket: each message is one RFC 6455 frame
/// (FIN, unmasked, as a server sends) whose header and media header sit in a small buffer of this viewer's, and whose
/// payload is the fragment all viewers share, sent together in one gathered socket send. No byte of a picture is
/// copied in user space: the kernel copies it once, from the fragment into the socket. The fragment goes back to its
/// pool only after the send completed, that is after the kernel has taken every byte.
/// <para>
/// Kestrel still owns the connection. It reads it (the WebSocket's incoming frames come through Kestrel's stream), wrote
/// the 101 response, and closes it when the request ends. Its send loop is idle as long as nothing is written to its
/// stream, but what was written there may still be on its way to the socket. So the hand-over waits for proof:
/// after the upgrade a ping with a fresh 8-byte payload goes through Kestrel's stream, and direct sends start only when
/// the viewer's pong for it arrives (<see cref="OnPong"/>), since the viewer can only have answered a ping that left
/// after everything before it. Until then every frame goes through Kestrel's stream, each followed by a new ping that
/// the hand-over then waits for. Media messages wait for the hand-over (one round trip after the upgrade); a viewer
/// that never answers waits like a viewer that reads nothing, and the streamer's send timeout disconnects it.
/// </para>
/// <para>
/// One writer at a time: the streamer's messages and the WebSocket's own frames (<see cref="DirectViewerStream"/>:
/// pongs, keep-alive, the close handshake) take turns through one gate, so frames never interleave on the wire.
/// </para>
/// </summary>
internal sealed class DirectViewerConnection : IViewerMessageWriter, IDisposable
{
    /// <summary>Payloads up to this size are copied behind the headers and sent from one buffer.</summary>
    public const int SmallMessageBytes = WebSocketMessageWriter.SmallMessageBytes;

    private const int MediaHeaderOffset = WebSocketFrameHeader.MaxServerLength;
    private const int PayloadOffset = MediaHeaderOffset + MediaFrameHeader.Length;

    /// <summary>What <c>_awaitedPong</c> holds once a close frame went through Kestrel's stream: no pong hands over now.</summary>
    private const long ClosedBeforeHandOver = long.MinValue;

    private readonly Stream _upgraded;
    private readonly GatheredSocketSend _send;
    private readonly Action _abort;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly TaskCompletionSource _handedOver = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Frame header (right-aligned before the media header), media header, and a small payload.</summary>
    private readonly byte[] _frame = new byte[PayloadOffset + SmallMessageBytes];
    private readonly byte[] _ping = new byte[2 + sizeof(long)];

    /// <summary>The payload of the ping whose pong hands the connection over (positive); 0 once it has.</summary>
    private long _awaitedPong;
    private volatile bool _closed;

    /// <param name="upgraded">Kestrel's stream of the upgraded connection.</param>
    /// <param name="socket">The connection's socket (Kestrel's <c>IConnectionSocketFeature</c>).</param>
    /// <param name="abort">Aborts the connection (a send cancelled while it waits for the socket ends this way).</param>
    public DirectViewerConnection(Stream upgraded, Socket socket, Action abort)
    {
        _upgraded = upgraded;
        _send = new GatheredSocketSend(socket);
        _abort = abort;
    }

    /// <summary>Direct sends have begun: the viewer answered the last ping sent through Kestrel's stream.</summary>
    public bool IsHandedOver => Volatile.Read(ref _awaitedPong) == 0;

    /// <summary>Sends the first hand-over ping through Kestrel's stream; call once, right after the upgrade.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var token = Random.Shared.NextInt64(1, long.MaxValue / 2);
            Volatile.Write(ref _awaitedPong, token);
            await WritePingThroughKestrelAsync(token, cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>A pong with an 8-byte payload came from the viewer; the one for the latest ping hands the connection over.</summary>
    public void OnPong(long payload)
    {
        if (payload > 0 && Interlocked.CompareExchange(ref _awaitedPong, 0, payload) == payload)
        {
            _handedOver.TrySetResult();
        }
    }

    public ValueTask WriteTextAsync(ReadOnlyMemory<byte> utf8, CancellationToken cancellationToken) =>
        WriteMessageAsync(WebSocketOpcode.Text, null, utf8, cancellationToken);

    public ValueTask WriteBinaryAsync(MediaFrameHeader header, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken) =>
        WriteMessageAsync(WebSocketOpcode.Binary, header, payload, cancellationToken);

    /// <summary>
    /// Writes one whole frame the WebSocket made itself (a pong, a keep-alive, a close): through Kestrel's stream and
    /// followed by a new hand-over ping before the hand-over, straight to the socket after it. A close frame before
    /// the hand-over goes through Kestrel's stream with nothing behind it (a viewer may take any frame after a close
    /// for a broken connection), and the hand-over is then off for good.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public async ValueTask WriteFrameAsync(ReadOnlyMemory<byte> frame, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            ThrowIfClosed();
            var isClose = !frame.IsEmpty && (frame.Span[0] & 0x0F) == (byte)WebSocketOpcode.Close;
            while (true)
            {
                var awaited = Volatile.Read(ref _awaitedPong);
                if (awaited == 0)
                {
                    await SendPayloadAsync(frame, 0, 0, cancellationToken);
                    return;
                }

                if (awaited == ClosedBeforeHandOver)
                {
                    await _upgraded.WriteAsync(frame, cancellationToken);
                    await _upgraded.FlushAsync(cancellationToken);
                    return;
                }

                var next = isClose ? ClosedBeforeHandOver : awaited + 1;
                if (Interlocked.CompareExchange(ref _awaitedPong, next, awaited) != awaited)
                {
                    // The pong came meanwhile: the connection is handed over.
                    continue;
                }

                await _upgraded.WriteAsync(frame, cancellationToken);
                if (isClose)
                {
                    _handedOver.TrySetException(new WebSocketException(WebSocketError.InvalidState, "The viewer's WebSocket closed before its first message."));
                    await _upgraded.FlushAsync(cancellationToken);
                }
                else
                {
                    await WritePingThroughKestrelAsync(next, cancellationToken);
                }

                return;
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The WebSocket over this connection was closed or aborted: nothing more is written.</summary>
    public void MarkClosed()
    {
        _closed = true;
        _handedOver.TrySetException(new WebSocketException(WebSocketError.InvalidState, "The viewer's WebSocket was closed."));
    }

    public void Dispose()
    {
        MarkClosed();
        _send.Dispose();
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask WriteMessageAsync(WebSocketOpcode opcode, MediaFrameHeader? header, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        if (!IsHandedOver)
        {
            await _handedOver.Task.WaitAsync(cancellationToken);
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            ThrowIfClosed();
            var headerLength = header is null ? 0 : MediaFrameHeader.Length;
            header?.Write(_frame.AsSpan(MediaHeaderOffset));
            var frameLength = WebSocketFrameHeader.ServerLength(headerLength + payload.Length);
            var start = MediaHeaderOffset - frameLength;
            WebSocketFrameHeader.WriteServer(_frame.AsSpan(start), opcode, headerLength + payload.Length);
            await SendPayloadAsync(payload, start, frameLength + headerLength, cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Sends <c>_frame[start..start+prefixLength]</c> and the payload: a small payload copied behind the prefix, a
    /// larger one from where it is (a payload not held in an array, which the receiver does not make, is copied first).
    /// </summary>
    private ValueTask SendPayloadAsync(ReadOnlyMemory<byte> payload, int start, int prefixLength, CancellationToken cancellationToken)
    {
        var prefix = new ArraySegment<byte>(_frame, start, prefixLength);
        if (prefixLength > 0 && payload.Length <= SmallMessageBytes)
        {
            payload.Span.CopyTo(_frame.AsSpan(start + prefixLength));
            return SendAsync(new ArraySegment<byte>(_frame, start, prefixLength + payload.Length), default, null, cancellationToken);
        }

        if (MemoryMarshal.TryGetArray(payload, out var segment))
        {
            return prefixLength == 0
                ? SendAsync(segment, default, null, cancellationToken)
                : SendAsync(prefix, segment, null, cancellationToken);
        }

        var copy = ArrayPool<byte>.Shared.Rent(payload.Length);
        payload.Span.CopyTo(copy);
        segment = new ArraySegment<byte>(copy, 0, payload.Length);
        return prefixLength == 0
            ? SendAsync(segment, default, copy, cancellationToken)
            : SendAsync(prefix, segment, copy, cancellationToken);
    }

    private ValueTask SendAsync(ArraySegment<byte> first, ArraySegment<byte> second, byte[]? rented, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            Return(rented);
            return ValueTask.FromCanceled(cancellationToken);
        }

        var send = _send.SendAsync(first, second);
        if (send.IsCompletedSuccessfully && rented is null)
        {
            send.GetAwaiter().GetResult();
            return ValueTask.CompletedTask;
        }

        return AwaitSendAsync(send, rented, cancellationToken);
    }

    /// <summary>
    /// Waits for a send the socket could not take at once. Cancelling it aborts the connection, and the send is still
    /// awaited to its end, so its buffers are never released while the kernel may read them.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask AwaitSendAsync(ValueTask send, byte[]? rented, CancellationToken cancellationToken)
    {
        try
        {
            using (cancellationToken.UnsafeRegister(static state => ((DirectViewerConnection)state!)._abort(), this))
            {
                await send;
            }
        }
        catch (SocketException) when (cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException(cancellationToken);
        }
        catch (SocketException ex)
        {
            throw new WebSocketException(WebSocketError.ConnectionClosedPrematurely, ex);
        }
        finally
        {
            Return(rented);
        }
    }

    private async Task WritePingThroughKestrelAsync(long payload, CancellationToken cancellationToken)
    {
        var length = WebSocketFrameHeader.WriteServer(_ping, WebSocketOpcode.Ping, sizeof(long));
        BinaryPrimitives.WriteInt64BigEndian(_ping.AsSpan(length), payload);
        await _upgraded.WriteAsync(_ping.AsMemory(0, length + sizeof(long)), cancellationToken);
        await _upgraded.FlushAsync(cancellationToken);
    }

    private void ThrowIfClosed()
    {
        if (_closed)
        {
            throw new WebSocketException(WebSocketError.InvalidState, "The viewer's WebSocket was closed.");
        }
    }

    private static void Return(byte[]? rented)
    {
        if (rented is not null)
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }
}
