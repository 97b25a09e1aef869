using Receiver.Core.Media;
using Receiver.Core.Sessions;

namespace Receiver.Web.WebRtc;

/// <summary>
/// What the viewer page is told, in its own HTML, about WebRTC (<c>&lt;meta name="receiver-webrtc"&gt;</c>), so it
/// picks its player without a round trip: <see cref="On"/> try WebRTC first; <see cref="Off"/> the receiver has no
/// Janus (the page goes straight to its WebSocket player); <see cref="Unreachable"/> Janus is configured but down
/// (WebSocket player now, back to WebRTC when <c>/readyz</c> says Janus is reachable); <see cref="NotForSession"/>
/// the session is not sent over WebRTC (H.265, or its ingest stopped). Session facts are given only to a page whose
/// request may watch that session.
/// </summary>
public static class WebRtcAvailability
{
    public const string On = "on";

    public const string Off = "off";

    public const string Unreachable = "unreachable";

    public const string NotForSession = "none";

    /// <summary>The value for a page of <paramref name="session"/> (null: unknown, or not for this requester to know).</summary>
    public static string Of(JanusIngestService service, MirroringSession? session)
    {
        ArgumentNullException.ThrowIfNull(service);
        var state = service.State;
        if (state == JanusIngestService.Off)
        {
            return Off;
        }

        if (state == JanusIngestService.Unreachable)
        {
            return Unreachable;
        }

        if (session is null || session.HasEnded)
        {
            return On;
        }

        var format = session.Media.CurrentFormat?.Format;
        if (format is not null && format.Codec != VideoCodec.H264)
        {
            return NotForSession;
        }

        // Its picture has arrived and Janus is up, yet no ingest runs: Janus refused the session, or its H.264 was unreadable.
        return format is not null && service.MountpointOf(session.Id) is null && !service.IsIngesting(session.Id) ? NotForSession : On;
    }
}
