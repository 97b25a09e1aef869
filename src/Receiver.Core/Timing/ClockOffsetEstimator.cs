namespace Receiver.Core.Timing;

/// <summary>
/// Keeps the last timing exchanges and reports the offset of the best one: the round trip with the least delay is
/// the one whose offset is least skewed by the path, and among those within <see cref="DelayTolerance"/> of it the
/// newest is taken, so that the estimate follows a drifting sender clock. Not thread-safe.
/// </summary>
public sealed class ClockOffsetEstimator
{
    /// <summary>Round trips this much longer than the shortest still count as equally good (nanoseconds: 1 ms).</summary>
    public const long DelayTolerance = 1_000_000;

    private readonly TimingSample[] _samples;
    private int _count;
    private int _next;

    public ClockOffsetEstimator(int capacity = 8)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _samples = new TimingSample[capacity];
    }

    public int SampleCount => _count;

    /// <summary>Adds an exchange; one with a negative round trip (a clock that stepped) is ignored.</summary>
    public void Add(TimingSample sample)
    {
        if (sample.Delay < 0)
        {
            return;
        }

        _samples[_next] = sample;
        _next = (_next + 1) % _samples.Length;
        _count = Math.Min(_count + 1, _samples.Length);
    }

    /// <summary>The best estimate so far, or null before the first valid reply.</summary>
    public TimingSample? Best
    {
        get
        {
            if (_count == 0)
            {
                return null;
            }

            var shortest = long.MaxValue;
            for (var i = 0; i < _count; i++)
            {
                shortest = Math.Min(shortest, _samples[i].Delay);
            }

            // Walk from the newest sample back.
            for (var age = 1; age <= _count; age++)
            {
                var sample = _samples[((_next - age) % _samples.Length + _samples.Length) % _samples.Length];
                if (sample.Delay <= shortest + DelayTolerance)
                {
                    return sample;
                }
            }

            return null;
        }
    }
}
