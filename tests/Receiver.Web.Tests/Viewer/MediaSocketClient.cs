using System.Buffers;
using System.Net.WebSockets;
using System.Text;
using Receiver.Web.Media;

namespace Receiver.Web.Tests.Viewer;

/// <summary>A test client of the media WebSocket that reads whole messages.</summary>
public sealed class MediaSocketClient : IAsyncDisposable
{
    private readonly ClientWebSocket _socket;

    private MediaSocketClient(ClientWebSocket socket)
    {
        _socket = socket;
    }

    public WebSocket Socket => _socket;

    public static Uri MediaUri(Uri webUrl, string sessionId, string? query = null)
    {
        var builder = new UriBuilder(webUrl) { Scheme = "ws", Path = $"/ws/sessions/{sessionId}/media", Query = query ?? string.Empty };
        return builder.Uri;
    }

    public static async Task<MediaSocketClient> ConnectAsync(Uri webUrl, string sessionId, string? query = null, int receiveBufferBytes = 0)
    {
        var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        if (receiveBufferBytes > 0)
        {
            socket.Options.SetBuffer(receiveBufferBytes, 4096);
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await socket.ConnectAsync(MediaUri(webUrl, sessionId, query), timeout.Token);
        return new MediaSocketClient(socket);
    }

    /// <summary>Reads the next whole message; null when the server closed.</summary>
    public async Task<ReceivedMediaMessage?> ReceiveAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        var buffer = new ArrayBufferWriter<byte>();
        while (true)
        {
            var memory = buffer.GetMemory(64 * 1024);
            var result = await _socket.ReceiveAsync(memory, cts.Token);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return null;
            }

            buffer.Advance(result.Count);
            if (result.EndOfMessage)
            {
                var bytes = buffer.WrittenMemory.ToArray();
                return result.MessageType == WebSocketMessageType.Text
                    ? new ReceivedMediaMessage(Encoding.UTF8.GetString(bytes), null, bytes)
                    : new ReceivedMediaMessage(null, MediaFrameHeader.Read(bytes), bytes);
            }
        }
    }

    /// <summary>Reads until the next binary media message (skipping none: throws on anything else).</summary>
    public async Task<ReceivedMediaMessage> ReceiveMediaAsync(TimeSpan? timeout = null)
    {
        var message = await ReceiveAsync(timeout) ?? throw new InvalidOperationException($"closed: {_socket.CloseStatus} {_socket.CloseStatusDescription}");
        if (message.Header is not { Kind: MediaFrameKind.Media })
        {
            throw new InvalidOperationException($"expected a media message, got {message.Text ?? message.Header?.Kind.ToString()}");
        }

        return message;
    }

    public async ValueTask DisposeAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            try
            {
                await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token);
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
            {
                _socket.Abort();
            }
        }

        _socket.Dispose();
    }
}
