using System.Net;
using System.Net.WebSockets;

namespace Receiver.Web.Tests.Security;

/// <summary>Opens a WebSocket and reports the HTTP status of the answer to the upgrade (101 when it was accepted).</summary>
internal static class WebSocketProbe
{
    public static async Task<HttpStatusCode> StatusAsync(Uri url, string? origin = null)
    {
        var ws = new UriBuilder(url) { Scheme = url.Scheme == "https" ? "wss" : "ws" }.Uri;
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        if (origin is not null)
        {
            socket.Options.SetRequestHeader("Origin", origin);
        }

        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await socket.ConnectAsync(ws, timeout.Token);
            await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "probe", CancellationToken.None);
            return HttpStatusCode.SwitchingProtocols;
        }
        catch (WebSocketException)
        {
            return socket.HttpStatusCode;
        }
    }
}
