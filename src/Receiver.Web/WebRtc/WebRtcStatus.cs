namespace Receiver.Web.WebRtc;

/// <summary>
/// WebRTC viewing as the dashboard shows it (<c>GET /api/webrtc</c>, hub <c>WebRtcChanged</c>): Janus's state and,
/// per live session, whether its mountpoint is up and how many WebRTC viewers it has.
/// </summary>
/// <param name="Janus"><c>off</c> (not configured), <c>reachable</c> or <c>unreachable</c>, as <c>/readyz</c> reports it.</param>
/// <param name="Viewers">WebRTC viewers whose signalling the receiver relays now, over all sessions.</param>
/// <param name="Sessions">The live sessions, oldest first (empty when Janus is off).</param>
public sealed record WebRtcStatus(string Janus, int Viewers, IReadOnlyList<WebRtcSessionStatus> Sessions)
{
    /// <summary>True when both say the same (the hub sends a status only when it changed).</summary>
    public bool SameAs(WebRtcStatus? other) =>
        other is not null && Janus == other.Janus && Viewers == other.Viewers && Sessions.SequenceEqual(other.Sessions);
}

/// <summary>One session's WebRTC side.</summary>
/// <param name="SessionId">The session.</param>
/// <param name="Mountpoint">True while the session has a mountpoint in Janus (its RTP is being sent).</param>
/// <param name="MountpointId">The mountpoint's id in Janus, or null.</param>
/// <param name="Viewers">WebRTC viewers of this session now.</param>
public sealed record WebRtcSessionStatus(string SessionId, bool Mountpoint, long? MountpointId, int Viewers);
