namespace Receiver.Core.Rtp;

/// <summary>
/// Holds back the early one of a session's two RTP streams so that both leave at the same lag behind the session's
/// media timeline. A WebRTC server that writes its own RTCP sender reports from the moment it forwards each packet
/// (Janus does) tells the browser that what it forwarded together belongs together, so audio and video must reach it
/// together. Each packet reports its stream and its lag (now minus its media time, in microseconds on any fixed
/// origin). Per stream the median lag of the last <see cref="Window"/> is kept; a packet of the stream whose median is
/// the smaller waits until it reaches the other stream's median (at most <see cref="MaxHold"/>), and the later
/// stream is never held, so it gains no latency. With one stream alone nothing waits. Pure: the caller passes the
/// time. Thread-safe (one stream per thread).
/// </summary>
public sealed class LipSyncPacer(TimeSpan window, TimeSpan maxHold)
{
    /// <summary>The stream number of the picture.</summary>
    public const int Video = 0;

    /// <summary>The stream number of the sound.</summary>
    public const int Audio = 1;

    /// <summary>Lags kept per stream at most (the window holds fewer at the rates of sound and picture).</summary>
    public const int MaxSamples = 512;

    private readonly Lock _gate = new();
    private readonly long _windowUs = (long)window.TotalMicroseconds;
    private readonly long _maxHoldUs = (long)maxHold.TotalMicroseconds;
    private readonly Lags[] _streams = [new(), new()];
    private readonly long[] _scratch = new long[MaxSamples];

    public TimeSpan Window { get; } = window;

    public TimeSpan MaxHold { get; } = maxHold;

    /// <summary>The lag both streams leave at now (µs): the later stream's median; null until both have packets in the window.</summary>
    public long? TargetLagMicroseconds
    {
        get
        {
            lock (_gate)
            {
                return _streams[0].Count == 0 || _streams[1].Count == 0 ? null : Math.Max(Median(_streams[0]), Median(_streams[1]));
            }
        }
    }

    /// <summary>
    /// Reports a packet of <paramref name="stream"/> (0 or 1) with media time <paramref name="mediaTimeUs"/>, ready to
    /// leave at <paramref name="nowUs"/>, and returns how long it waits before it leaves.
    /// </summary>
    public TimeSpan Hold(int stream, long mediaTimeUs, long nowUs)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(stream);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(stream, 1);
        var lag = nowUs - mediaTimeUs;
        long hold;
        lock (_gate)
        {
            foreach (var lags in _streams)
            {
                lags.Forget(nowUs - _windowUs);
            }

            var own = _streams[stream];
            var other = _streams[1 - stream];
            own.Add(nowUs, lag);
            if (other.Count == 0)
            {
                return TimeSpan.Zero;
            }

            var otherMedian = Median(other);
            hold = otherMedian > Median(own) ? otherMedian - lag : 0;
        }

        return TimeSpan.FromMicroseconds(Math.Clamp(hold, 0, _maxHoldUs));
    }

    private long Median(Lags lags)
    {
        var count = lags.CopyTo(_scratch);
        var span = _scratch.AsSpan(0, count);
        span.Sort();
        return span[count / 2];
    }

    // One stream's lags in the window, oldest first, in a ring.
    private sealed class Lags
    {
        private readonly (long At, long Lag)[] _ring = new (long, long)[MaxSamples];
        private int _front;

        public int Count { get; private set; }

        public void Add(long at, long lag)
        {
            if (Count == _ring.Length)
            {
                _front = (_front + 1) % _ring.Length;
                Count--;
            }

            _ring[(_front + Count) % _ring.Length] = (at, lag);
            Count++;
        }

        public void Forget(long before)
        {
            while (Count > 0 && _ring[_front].At < before)
            {
                _front = (_front + 1) % _ring.Length;
                Count--;
            }
        }

        public int CopyTo(long[] destination)
        {
            for (var i = 0; i < Count; i++)
            {
                destination[i] = _ring[(_front + i) % _ring.Length].Lag;
            }

            return Count;
        }
    }
}
