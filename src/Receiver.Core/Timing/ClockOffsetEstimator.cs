namespace Receiver.Core.Timing;

/// <summary>Keeps the last samples and reports the offset of the one with the smallest round trip.</summary>
public sealed class ClockOffsetEstimator
{
    private readonly TimingSample[] _samples;
    private readonly Lock _gate = new();
    private int _count;
    private int _next;

    public ClockOffsetEstimator(int capacity = 8)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _samples = new TimingSample[capacity];
    }

    public int SampleCount
    {
        get
        {
            lock (_gate)
            {
                return _count;
            }
        }
    }

    public void Add(TimingSample sample)
    {
        if (sample.Delay < 0)
        {
            return;
        }

        lock (_gate)
        {
            _samples[_next] = sample;
            _next = (_next + 1) % _samples.Length;
            _count = Math.Min(_count + 1, _samples.Length);
        }
    }

    /// <summary>The best estimate so far, or null before the first valid reply.</summary>
    public TimingSample? Best
    {
        get
        {
            lock (_gate)
            {
                if (_count == 0)
                {
                    return null;
                }

                var best = _samples[0];
                for (var i = 1; i < _count; i++)
                {
                    if (_samples[i].Delay < best.Delay)
                    {
                        best = _samples[i];
                    }
                }

                return best;
            }
        }
    }
}
