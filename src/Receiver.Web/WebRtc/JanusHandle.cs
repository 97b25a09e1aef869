namespace Receiver.Web.WebRtc;

/// <summary>A Janus session and the streaming plugin handle attached in it.</summary>
public sealed record JanusHandle(long SessionId, long HandleId);
