namespace Receiver.Core.Timing;

/// <summary>
/// Latency samples (milliseconds) collected between two reads: <see cref="TakeMedian"/> and <see cref="TakeSummary"/>
/// describe what arrived since the previous read and start over. Holds at most <see cref="Capacity"/> samples (the
/// newest). Negative samples are counted as 0: a latency is never negative, and a negative sample only says that the
/// clocks it was computed from disagree by more than the latency. Thread-safe.
/// </summary>
public sealed class LatencyWindow
{
    /// <summary>Samples kept between two reads unless the constructor says otherwise.</summary>
    public const int DefaultCapacity = 256;

    private readonly Lock _gate = new();
    private readonly double[] _values;
    private int _count;
    private int _next;

    public LatencyWindow(int capacity = DefaultCapacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _values = new double[capacity];
    }

    /// <summary>Samples kept between two reads.</summary>
    public int Capacity => _values.Length;

    public void Add(double milliseconds)
    {
        var value = double.IsNaN(milliseconds) ? 0 : Math.Max(0, milliseconds);
        lock (_gate)
        {
            _values[_next] = value;
            _next = (_next + 1) % _values.Length;
            _count = Math.Min(_count + 1, _values.Length);
        }
    }

    /// <summary>The median since the previous read, or null when nothing was added.</summary>
    public double? TakeMedian() => TakeSorted() is { } sorted ? sorted[sorted.Length / 2] : null;

    /// <summary>Percentiles (nearest rank) and maximum since the previous read, or null when nothing was added.</summary>
    public LatencySummary? TakeSummary() => TakeSorted() is { } sorted ? LatencySummary.Of(sorted) : null;

    private double[]? TakeSorted()
    {
        double[] copy;
        lock (_gate)
        {
            if (_count == 0)
            {
                return null;
            }

            copy = _values[.._count];
            _count = 0;
            _next = 0;
        }

        Array.Sort(copy);
        return copy;
    }
}
