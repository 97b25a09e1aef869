namespace Receiver.Web.WebRtc;

/// <summary>
/// How long after their media time one stream's packets leave for Janus: the median of the last
/// <see cref="Samples"/> packets. Janus's sender reports stamp each stream by the moment it forwards, so the
/// difference of the two streams' medians is the A/V offset the receiver hands the browser (the pacer aligns the same
/// medians; a median, unlike an average, is not moved by the few packets a busy machine sends late). Thread-safe.
/// </summary>
public sealed class SendLag
{
    /// <summary>Packets the median covers (about 2 s of picture at 30 frames a second, 1.3 s of 20 ms sound).</summary>
    public const int Samples = 64;

    private readonly Lock _gate = new();
    private readonly long[] _ring = new long[Samples];
    private readonly long[] _sorted = new long[Samples];
    private int _count;
    private int _next;

    /// <summary>The median lag (µs) of the last packets, or null before the first packet.</summary>
    public double? Median
    {
        get
        {
            lock (_gate)
            {
                if (_count == 0)
                {
                    return null;
                }

                var span = _sorted.AsSpan(0, _count);
                _ring.AsSpan(0, _count).CopyTo(span);
                span.Sort();
                return span[_count / 2];
            }
        }
    }

    /// <summary>Adds one packet's lag (µs): the time it left minus its media time.</summary>
    public void Add(long lagMicroseconds)
    {
        lock (_gate)
        {
            _ring[_next] = lagMicroseconds;
            _next = (_next + 1) % Samples;
            _count = Math.Min(_count + 1, Samples);
        }
    }
}
