using System.Diagnostics.Metrics;

namespace Receiver.Web.Media;

/// <summary>
/// Metrics of the media WebSockets (meter <c>Receiver.Media</c>): <c>receiver.media.send_latency</c> (ms from
/// an access unit being complete to its WebSocket send finishing), <c>receiver.media.viewers</c> and
/// <c>receiver.media.sent_bytes</c>. The recent send latencies are also kept in <see cref="SendLatency"/>.
/// </summary>
public sealed class MediaMetrics
{
    public const string MeterName = "Receiver.Media";

    private readonly Histogram<double> _sendLatency;
    private readonly UpDownCounter<int> _viewers;
    private readonly Counter<long> _sentBytes;

    public MediaMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(MeterName);
        // Fine buckets below 10 ms: the figure is normally well under a millisecond, and its target is a p99 of 5 ms.
        _sendLatency = meter.CreateHistogram<double>("receiver.media.send_latency", "ms", "Time from an access unit being complete to its WebSocket send finishing",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.05, 0.1, 0.25, 0.5, 1, 2, 3, 4, 5, 7.5, 10, 15, 25, 50, 100, 250, 500, 1000] });
        _viewers = meter.CreateUpDownCounter<int>("receiver.media.viewers", "{viewer}", "Connected media WebSocket viewers");
        _sentBytes = meter.CreateCounter<long>("receiver.media.sent_bytes", "By", "Bytes sent to media WebSocket viewers");
    }

    /// <summary>The most recent send latencies in milliseconds.</summary>
    public LatencyRecorder SendLatency { get; } = new();

    /// <summary>The metrics of the host whose services are <paramref name="services"/> (a singleton of the host).</summary>
    public static MediaMetrics For(IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(services);
        return (MediaMetrics?)services.GetService(typeof(MediaMetrics))
            ?? throw new InvalidOperationException("The host has no MediaMetrics service.");
    }

    internal void RecordSend(double milliseconds, int bytes, string mode)
    {
        _sendLatency.Record(milliseconds, new KeyValuePair<string, object?>("mode", mode));
        _sentBytes.Add(bytes);
        SendLatency.Record(milliseconds);
    }

    internal void ViewerConnected() => _viewers.Add(1);

    internal void ViewerDisconnected() => _viewers.Add(-1);
}
