using Receiver.Core.Timing;

namespace Receiver.Web.Metrics;

/// <summary>
/// One session's media figures, sampled about once a second (definitions in docs/STATS.md). Rates and latencies
/// describe the interval since the previous sample; counts run from the session's start. No figure is negative.
/// </summary>
/// <param name="SessionId">The session.</param>
/// <param name="Fps">Video access units per second published to viewers over the interval.</param>
/// <param name="BitrateBps">Bits per second of the video stream (fMP4 fragments) over the interval.</param>
/// <param name="Frames">Video access units published since the session started.</param>
/// <param name="Bytes">Bytes of video fragments published since the session started (each counted once).</param>
/// <param name="Dropped">Video fragments not delivered, summed over viewers: skipped because a viewer fell behind, or before a late joiner's first keyframe.</param>
/// <param name="Viewers">Viewers of the session's media now (browser WebSockets and recorders).</param>
/// <param name="LatencyMs">
/// Sender-to-receiver latency in milliseconds, median over the interval: from the sender's capture of a picture (its
/// timestamp mapped onto the receiver's clock through the NTP exchange, or through packet arrivals when the sender does
/// not answer) to its last byte arriving here; null while nothing was measured. Never negative: a sample below 0
/// (the mapping's error larger than the latency) counts as 0.
/// </param>
/// <param name="ReceiverLatency">
/// Receiver-added latency over the interval, one sample per video access unit per WebSocket viewer: from the access
/// unit being complete here (received and decrypted) to its WebSocket send having finished (ms); null when nothing
/// was sent. A late joiner's catch-up GOP is not counted.
/// </param>
/// <param name="AudioFrames">Audio frames published since the session started (0 without sound).</param>
/// <param name="AudioDropped">Audio fragments not delivered (a viewer's queue was full), summed over viewers.</param>
/// <param name="AudioOffsetMs">
/// At the sample, the newest audio frame published minus the newest video frame published, on the session's one
/// media timeline (ms, signed: negative while the sound trails the picture, by the transcoder's delay); null without
/// both tracks.
/// </param>
public sealed record SessionStats(
    string SessionId,
    double Fps,
    long BitrateBps,
    long Frames,
    long Bytes,
    long Dropped,
    int Viewers,
    double? LatencyMs,
    LatencySummary? ReceiverLatency = null,
    long AudioFrames = 0,
    long AudioDropped = 0,
    double? AudioOffsetMs = null)
{
    public static SessionStats Empty(string sessionId) => new(sessionId, 0, 0, 0, 0, 0, 0, null);
}
