namespace Receiver.Web.Metrics;

/// <summary>One session's video throughput over the last sampling interval (about a second).</summary>
/// <param name="SessionId">The session.</param>
/// <param name="Fps">Video frames per second published to viewers.</param>
/// <param name="BitrateBps">Bits per second of the video stream (fMP4 fragments).</param>
/// <param name="Frames">Video frames since the session started.</param>
/// <param name="Bytes">Bytes of video since the session started.</param>
/// <param name="Dropped">Fragments not delivered to slow viewers, summed over viewers.</param>
/// <param name="Viewers">Browser viewers watching now.</param>
/// <param name="LatencyMs">
/// Sender-to-receiver latency in milliseconds, median over the interval: from the sender's capture of a picture (its
/// timestamp mapped onto the receiver's clock through the NTP exchange, or through packet arrivals when the sender does
/// not answer) to its last byte arriving here; null while nothing was measured.
/// </param>
public sealed record SessionStats(
    string SessionId,
    double Fps,
    long BitrateBps,
    long Frames,
    long Bytes,
    long Dropped,
    int Viewers,
    double? LatencyMs)
{
    public static SessionStats Empty(string sessionId) => new(sessionId, 0, 0, 0, 0, 0, 0, null);
}
