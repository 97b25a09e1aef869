using System.Net.WebSockets;
using System.Runtime.CompilerServices;

namespace Receiver.Web.Media;

/// <summary>
/// Writes a viewer's messages through a <see cref="WebSocket"/>: the path of HTTPS viewers (whose bytes the TLS stream
/// encrypts) and of any connection the receiver cannot send to directly (<see cref="DirectViewerConnection"/>).
/// </summary>
internal sealed class WebSocketMessageWriter(WebSocket socket) : IViewerMessageWriter
{
    /// <summary>Messages up to this size (header included) go as one copied frame, larger ones as two frames.</summary>
    public const int SmallMessageBytes = 4096;

    /// <summary>The media header, and a small payload behind it; one send at a time.</summary>
    private readonly byte[] _sendBuffer = new byte[SmallMessageBytes];

    public ValueTask WriteTextAsync(ReadOnlyMemory<byte> utf8, CancellationToken cancellationToken) =>
        socket.SendAsync(utf8, WebSocketMessageType.Text, true, cancellationToken);

    /// <summary>
    /// A small payload (sound, an init segment) is copied behind the header into the viewer's own buffer and goes as
    /// one frame. A larger one (a picture) goes as a second frame of the same message, straight from the fragment all
    /// viewers share: no copy of the picture per viewer before the WebSocket's own, and no buffer held while the send
    /// waits for a slow socket (with hundreds of viewers waiting at once, such buffers overran the shared array pool,
    /// which then allocated one per send). The page receives one message either way.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public async ValueTask WriteBinaryAsync(MediaFrameHeader header, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        header.Write(_sendBuffer);
        if (payload.Length <= _sendBuffer.Length - MediaFrameHeader.Length)
        {
            payload.Span.CopyTo(_sendBuffer.AsSpan(MediaFrameHeader.Length));
            await socket.SendAsync(_sendBuffer.AsMemory(0, MediaFrameHeader.Length + payload.Length), WebSocketMessageType.Binary, true, cancellationToken);
            return;
        }

        await socket.SendAsync(_sendBuffer.AsMemory(0, MediaFrameHeader.Length), WebSocketMessageType.Binary, false, cancellationToken);
        await socket.SendAsync(payload, WebSocketMessageType.Binary, true, cancellationToken);
    }
}
