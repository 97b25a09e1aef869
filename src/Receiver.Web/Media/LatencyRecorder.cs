namespace Receiver.Web.Media;

/// <summary>
/// Keeps the most recent latency samples (a fixed ring, no allocation per sample) and reports percentiles
/// over them. Thread-safe.
/// </summary>
public sealed class LatencyRecorder
{
    private readonly Lock _gate = new();
    private readonly double[] _samples;
    private long _count;

    public LatencyRecorder(int capacity = 8192)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _samples = new double[capacity];
    }

    /// <summary>Samples recorded since start (including those no longer kept).</summary>
    public long Count
    {
        get
        {
            lock (_gate)
            {
                return _count;
            }
        }
    }

    public void Record(double value)
    {
        lock (_gate)
        {
            _samples[_count % _samples.Length] = value;
            _count++;
        }
    }

    /// <summary>The <paramref name="percentile"/> (0-100) of the kept samples (nearest rank), or NaN without samples.</summary>
    public double Percentile(double percentile)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(percentile, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(percentile, 100);
        var kept = Snapshot();
        if (kept.Length == 0)
        {
            return double.NaN;
        }

        Array.Sort(kept);
        var rank = (int)Math.Ceiling(percentile / 100 * kept.Length);
        return kept[Math.Clamp(rank - 1, 0, kept.Length - 1)];
    }

    /// <summary>A copy of the kept samples.</summary>
    public double[] Snapshot()
    {
        lock (_gate)
        {
            var kept = (int)Math.Min(_count, _samples.Length);
            return _samples.AsSpan(0, kept).ToArray();
        }
    }

    public void Clear()
    {
        lock (_gate)
        {
            _count = 0;
        }
    }
}
