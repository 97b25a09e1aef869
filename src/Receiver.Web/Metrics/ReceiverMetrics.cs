using System.Diagnostics.Metrics;
using Receiver.Core.Sessions;

namespace Receiver.Web.Metrics;

/// <summary>
/// The receiver's instruments on the <c>Receiver</c> meter: live sessions and viewers, video frames and bytes,
/// dropped fragments, the fragment pool's free buffers, refusals at the caps (docs/LIMITS.md), and how long session events take to reach dashboard clients.
/// </summary>
public sealed class ReceiverMetrics
{
    public const string MeterName = "Receiver";

    private readonly Histogram<double> _eventDelay;

    public ReceiverMetrics(IMeterFactory meterFactory, SessionRegistry registry, SessionStatsTracker tracker, Connections.ConnectionLimiter controlConnections,
        [FromKeyedServices(Connections.ConnectionLimiter.MirrorPort)] Connections.ConnectionLimiter mirrorConnections, Media.ViewerSlots viewers,
        Receiver.Core.Media.FfmpegCpuWatchdog ffmpegWatchdog, Recording.RecordingService recordings)
    {
        ArgumentNullException.ThrowIfNull(recordings);
        ArgumentNullException.ThrowIfNull(ffmpegWatchdog);
        ArgumentNullException.ThrowIfNull(controlConnections);
        ArgumentNullException.ThrowIfNull(mirrorConnections);
        ArgumentNullException.ThrowIfNull(viewers);
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(MeterName);
        meter.CreateObservableGauge("receiver.sessions.active", () => registry.Count, "{session}", "Mirroring sessions in progress");
        meter.CreateObservableGauge("receiver.viewers.active", () => tracker.TotalViewers, "{viewer}", "Browser viewers watching a session");
        meter.CreateObservableCounter("receiver.frames.received", () => tracker.TotalFrames, "{frame}", "Video frames received from senders");
        meter.CreateObservableCounter("receiver.bytes.received", () => tracker.TotalBytes, "By", "Bytes of video received from senders, as fMP4 fragments");
        meter.CreateObservableCounter("receiver.fragments.dropped", () => tracker.TotalDropped, "{fragment}", "Fragments skipped for viewers that fell behind");
        meter.CreateObservableGauge("receiver.fragments.pool.free", () => Receiver.Core.Media.FragmentPool.Shared.RetainedBytes, "By",
            "Bytes of free video fragment buffers the shared pool keeps for the next pictures");
        meter.CreateObservableCounter("receiver.fragments.pool.created", () => Receiver.Core.Media.FragmentPool.Shared.Created, "{buffer}",
            "Video fragment buffers made because the shared pool had no free one of the size");
        meter.CreateObservableCounter("receiver.connections.refused", () => new[] { Refused(controlConnections), Refused(mirrorConnections) }, "{connection}",
            "Connections closed at once: over the total or per-address cap of their port (tag port: control, mirror)");
        meter.CreateObservableCounter("receiver.sessions.refused", () => registry.SessionsRefused, "{session}", "Session SETUPs answered 453: the receiver had Receiver:Sessions:Max sessions");
        meter.CreateObservableCounter("receiver.viewers.refused", () => viewers.Refused, "{viewer}", "Media WebSockets closed with 4001: over the viewer caps");
        meter.CreateObservableCounter("receiver.recordings.refused", () => recordings.Refused, "{recording}", "Recordings not started: Receiver:Recording:MaxConcurrent running, or the volume at its free-space floor");
        meter.CreateObservableCounter("receiver.datagrams.foreign", () => Receiver.Core.Timing.SenderDatagramFilter.TotalDropped, "{datagram}", "UDP datagrams dropped because they came from another address than the session's sender");
        meter.CreateObservableGauge("receiver.ffmpeg.running", () => Receiver.Core.Media.FfmpegProcess.Running, "{process}", "ffmpeg processes running (audio transcoders and snapshot decodes)");
        meter.CreateObservableCounter("receiver.ffmpeg.killed", () => ffmpegWatchdog.Killed, "{process}", "Audio transcoder ffmpeg processes killed for using more CPU than Receiver:Limits:FfmpegMaxCpuPercent");
        _eventDelay = meter.CreateHistogram<double>("receiver.events.delay", "ms", "Time from a session event to its broadcast to dashboard clients",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 25, 50, 100, 250, 1000] });
    }

    private static Measurement<long> Refused(Connections.ConnectionLimiter limiter) =>
        new(limiter.Refused, new KeyValuePair<string, object?>("port", limiter.Port));

    public void RecordEventDelay(TimeSpan delay) => _eventDelay.Record(Math.Max(0, delay.TotalMilliseconds));
}
