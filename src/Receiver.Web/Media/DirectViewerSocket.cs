using System.Net.Sockets;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Timeouts;

namespace Receiver.Web.Media;

/// <summary>
/// Accepts a media WebSocket whose messages go straight to the connection's socket (<see cref="DirectViewerConnection"/>).
/// That is possible only where the bytes the receiver writes are the bytes on the wire: an HTTP/1.1 upgrade on a
/// plain-HTTP connection of Kestrel's socket transport. HTTPS (the TLS stream must encrypt every byte), HTTP/2 and any
/// other transport keep the ordinary WebSocket (<see cref="WebSocketMessageWriter"/>).
/// </summary>
internal static class DirectViewerSocket
{
    /// <summary>RFC 6455 §1.3: appended to the client's key before hashing.</summary>
    private const string HandshakeGuid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    /// <summary>The connection's socket when this request may be served directly, else null.</summary>
    public static Socket? SocketFor(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Request.IsHttps
            || context.Features.Get<ITlsConnectionFeature>() is not null
            || !HttpMethods.IsGet(context.Request.Method)
            || !string.Equals(context.Request.Protocol, "HTTP/1.1", StringComparison.Ordinal)
            || context.Features.Get<IHttpUpgradeFeature>() is not { IsUpgradableRequest: true }
            || !IsValidKey(context.Request.Headers.SecWebSocketKey))
        {
            return null;
        }

        return context.Features.Get<IConnectionSocketFeature>()?.Socket is { SocketType: SocketType.Stream } socket ? socket : null;
    }

    /// <summary>
    /// Answers the handshake (101 with <c>Sec-WebSocket-Accept</c>; no subprotocol, no extension), sends the first
    /// hand-over ping, and returns the WebSocket (for the viewer's frames, keep-alive and close) and the connection the
    /// media messages are written to. The caller disposes the WebSocket first, then the connection.
    /// </summary>
    public static async Task<(WebSocket Socket, DirectViewerConnection Connection)> AcceptAsync(
        HttpContext context, Socket socket, TimeSpan keepAliveInterval, TimeSpan keepAliveTimeout)
    {
        ArgumentNullException.ThrowIfNull(context);
        var upgrade = context.Features.GetRequiredFeature<IHttpUpgradeFeature>();
        context.Response.Headers.Connection = "Upgrade";
        context.Response.Headers.Upgrade = "websocket";
        context.Response.Headers.SecWebSocketAccept = AcceptKey(context.Request.Headers.SecWebSocketKey.ToString());
        context.Features.Get<IHttpRequestTimeoutFeature>()?.DisableTimeout();
        var upgraded = await upgrade.UpgradeAsync();
        var connection = new DirectViewerConnection(upgraded, socket, context.Abort);
        try
        {
            var webSocket = WebSocket.CreateFromStream(new DirectViewerStream(upgraded, connection), new WebSocketCreationOptions
            {
                IsServer = true,
                KeepAliveInterval = keepAliveInterval,
                KeepAliveTimeout = keepAliveTimeout,
            });
            await connection.StartAsync(context.RequestAborted);
            return (webSocket, connection);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>The <c>Sec-WebSocket-Accept</c> value for a client's <c>Sec-WebSocket-Key</c> (RFC 6455 §4.2.2).</summary>
    public static string AcceptKey(string key)
    {
        Span<byte> hash = stackalloc byte[SHA1.HashSizeInBytes];
        // SHA-1 is what RFC 6455 prescribes here; it proves only that the server read the handshake.
#pragma warning disable CA5350
        SHA1.HashData(Encoding.ASCII.GetBytes(key + HandshakeGuid), hash);
#pragma warning restore CA5350
        return Convert.ToBase64String(hash);
    }

    /// <summary>A key is 16 random bytes in base64 (RFC 6455 §4.1).</summary>
    private static bool IsValidKey(string? key)
    {
        Span<byte> bytes = stackalloc byte[16];
        return key is { Length: 24 } && Convert.TryFromBase64String(key, bytes, out var written) && written == 16;
    }
}
