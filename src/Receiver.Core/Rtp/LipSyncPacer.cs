namespace Receiver.Core.Rtp;

/// <summary>
/// Holds back the early one of a session's two RTP streams so that both leave at the same delay behind the session's
/// media timeline. A WebRTC server that writes its own RTCP sender reports from the moment it forwards each packet
/// (Janus does) tells the browser that what it forwarded together belongs together, so audio and video must reach it
/// together. Each packet reports its lag (now minus its media time, in microseconds on any fixed origin); the target
/// lag is the largest reported by either stream within <see cref="Window"/>, and a packet waits until it reaches it,
/// at most <see cref="MaxHold"/>. Pure: the caller passes the time. Thread-safe (one stream per thread).
/// </summary>
public sealed class LipSyncPacer(TimeSpan window, TimeSpan maxHold)
{
    private readonly Lock _gate = new();
    private readonly long _windowUs = (long)window.TotalMicroseconds;
    private readonly long _maxHoldUs = (long)maxHold.TotalMicroseconds;

    // Lags in the window as (time reported, lag), a ring whose lags strictly decrease from the front (the maximum).
    private (long At, long Lag)[] _lags = new (long, long)[256];
    private int _front;
    private int _count;

    public TimeSpan Window { get; } = window;

    public TimeSpan MaxHold { get; } = maxHold;

    /// <summary>The lag both streams are sent at now (µs), or null before the first packet.</summary>
    public long? TargetLagMicroseconds
    {
        get
        {
            lock (_gate)
            {
                return _count == 0 ? null : _lags[_front].Lag;
            }
        }
    }

    /// <summary>
    /// Reports a packet of media time <paramref name="mediaTimeUs"/> ready to leave at <paramref name="nowUs"/>, and
    /// returns how long it waits before it leaves (zero when it is the latest).
    /// </summary>
    public TimeSpan Hold(long mediaTimeUs, long nowUs)
    {
        var lag = nowUs - mediaTimeUs;
        long target;
        lock (_gate)
        {
            while (_count > 0 && _lags[_front].At < nowUs - _windowUs)
            {
                _front = (_front + 1) % _lags.Length;
                _count--;
            }

            while (_count > 0 && _lags[(_front + _count - 1) % _lags.Length].Lag <= lag)
            {
                _count--;
            }

            if (_count == _lags.Length)
            {
                Grow();
            }

            _lags[(_front + _count) % _lags.Length] = (nowUs, lag);
            _count++;
            target = _lags[_front].Lag;
        }

        return TimeSpan.FromMicroseconds(Math.Clamp(target - lag, 0, _maxHoldUs));
    }

    private void Grow()
    {
        var larger = new (long, long)[_lags.Length * 2];
        for (var i = 0; i < _count; i++)
        {
            larger[i] = _lags[(_front + i) % _lags.Length];
        }

        _lags = larger;
        _front = 0;
    }
}
