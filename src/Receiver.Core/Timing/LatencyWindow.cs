namespace Receiver.Core.Timing;

/// <summary>
/// Latency samples (milliseconds) collected between two reads: <see cref="TakeMedian"/> returns the median of what
/// arrived since the previous call and starts over. Holds at most <see cref="Capacity"/> samples (the newest).
/// Thread-safe.
/// </summary>
public sealed class LatencyWindow
{
    /// <summary>Samples kept between two reads.</summary>
    public const int Capacity = 256;

    private readonly Lock _gate = new();
    private readonly double[] _values = new double[Capacity];
    private int _count;
    private int _next;

    public void Add(double milliseconds)
    {
        lock (_gate)
        {
            _values[_next] = milliseconds;
            _next = (_next + 1) % Capacity;
            _count = Math.Min(_count + 1, Capacity);
        }
    }

    /// <summary>The median since the previous call, or null when nothing was added.</summary>
    public double? TakeMedian()
    {
        double[] copy;
        lock (_gate)
        {
            if (_count == 0)
            {
                return null;
            }

            copy = _count == Capacity ? (double[])_values.Clone() : _values[.._count];
            _count = 0;
            _next = 0;
        }

        Array.Sort(copy);
        return copy[copy.Length / 2];
    }
}
