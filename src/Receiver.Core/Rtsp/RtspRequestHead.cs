namespace Receiver.Core.Rtsp;

/// <summary>The request line and header fields of a control request, parsed before its body arrives.</summary>
internal readonly record struct RtspRequestHead(string Method, string Target, string Protocol, RtspHeaders Headers, int ContentLength);
