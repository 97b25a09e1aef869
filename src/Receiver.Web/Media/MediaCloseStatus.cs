using System.Net.WebSockets;

namespace Receiver.Web.Media;

/// <summary>Close codes of the media WebSocket (4000-4999 is the range for applications).</summary>
public static class MediaCloseStatus
{
    /// <summary>The session ended; the reason text is <c>ended: {reason}</c>, e.g. <c>ended: teardown</c>.</summary>
    public const WebSocketCloseStatus Ended = (WebSocketCloseStatus)4000;

    /// <summary>
    /// The session (or the receiver) already has as many viewers as it takes; the reason text starts with <c>full: </c>
    /// and says which. The page shows it and tries again later.
    /// </summary>
    public const WebSocketCloseStatus Full = (WebSocketCloseStatus)4001;

    /// <summary>The receiver is shutting down; a viewer may reconnect later.</summary>
    public const WebSocketCloseStatus ServerStopping = WebSocketCloseStatus.EndpointUnavailable;

    /// <summary>The close reason sent for a session that ended for <paramref name="reason"/>.</summary>
    public static string EndedReason(string reason) => $"ended: {reason}";
}
