namespace Receiver.Web.WebRtc;

/// <summary>Janus answered with an error, something unreadable, or not at all.</summary>
public sealed class JanusException(string message, Exception? inner = null) : Exception(message, inner);
