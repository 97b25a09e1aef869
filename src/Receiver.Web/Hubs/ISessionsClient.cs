using Receiver.Web.Api;
using Receiver.Web.Metrics;

namespace Receiver.Web.Hubs;

/// <summary>
/// What the <c>/hubs/sessions</c> hub sends its clients. A client first receives <see cref="Snapshot"/> with the
/// live sessions, then every change as it happens; events of one session arrive in the order they happened.
/// </summary>
public interface ISessionsClient
{
    /// <summary>The live sessions, sent to a client once when it connects.</summary>
    Task Snapshot(SessionSummary[] sessions);

    /// <summary>A sender started mirroring.</summary>
    Task SessionStarted(SessionSummary session);

    /// <summary>A video or audio stream of a session started; for video, with its format once known.</summary>
    Task StreamStarted(StreamStartedMessage stream);

    /// <summary>The video format of a session changed (rotation, resolution).</summary>
    Task FormatChanged(FormatChangedMessage format);

    /// <summary>The sender changed its volume.</summary>
    Task VolumeChanged(VolumeChangedMessage volume);

    /// <summary>A video or audio stream of a session stopped; the session goes on.</summary>
    Task StreamEnded(StreamEndedMessage stream);

    /// <summary>Recording of a session started, opened its next file, or stopped (with the reason).</summary>
    Task RecordingChanged(RecordingChangedMessage recording);

    /// <summary>A sender handed over a video to play (a <c>video</c> session; <see cref="SessionStarted"/> came first).</summary>
    Task CastStarted(CastMessage cast);

    /// <summary>A cast video started playing, paused, ended or failed (<c>failed: reason</c>).</summary>
    Task CastStateChanged(CastMessage cast);

    /// <summary>Throughput of a live session, about once a second.</summary>
    Task SessionStats(SessionStats stats);

    /// <summary>
    /// WebRTC viewing changed: Janus came or went, a session's mountpoint was made or removed, or its WebRTC viewers
    /// changed (checked about once a second; also sent once when a client connects).
    /// </summary>
    Task WebRtcChanged(WebRtc.WebRtcStatus status);

    /// <summary>A session ended; <paramref name="reason"/> is teardown, disconnect, timeout, kicked, error or shutdown.</summary>
    Task SessionEnded(string sessionId, string reason);

    /// <summary>A sender is pairing: show <paramref name="pin"/> until <paramref name="expiresAt"/> or <see cref="PinCleared"/>.</summary>
    Task PinRequested(string deviceName, string pin, DateTimeOffset expiresAt);

    /// <summary>The PIN is no longer to be shown (used, cleared or expired).</summary>
    Task PinCleared();

    /// <summary>An unknown sender asks to mirror (access mode <c>approve</c>): allow or deny it with <c>/api/senders/pending/{requestId}</c>.</summary>
    Task SenderApprovalRequested(string requestId, string deviceId, string? name, string? model);

    /// <summary>An approval request ended: <paramref name="decision"/> is allowed, denied, timedOut or withdrawn.</summary>
    Task SenderApprovalResolved(string requestId, string decision);

    /// <summary>A sender was refused: <paramref name="reason"/> is denied, lockedOut, wrongPin, wrongPassword, notApproved or approvalTimedOut.</summary>
    Task SenderRefused(string? deviceId, string? name, string reason);

    /// <summary>
    /// A sender asked for something this receiver does not serve as asked: protected content (refused), PTP timing
    /// (the session runs without a clock exchange) or a remote-control-only channel (accepted, nothing to show).
    /// </summary>
    Task SenderNotice(SenderNoticeMessage notice);

    /// <summary>The register of trusted senders changed: read <c>GET /api/senders</c> again.</summary>
    Task SendersChanged();
}
