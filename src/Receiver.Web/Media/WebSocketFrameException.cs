namespace Receiver.Web.Media;

/// <summary>A viewer's WebSocket frame that breaks RFC 6455.</summary>
internal sealed class WebSocketFrameException(string reason) : Exception($"Malformed WebSocket frame: {reason}");
