namespace Receiver.Core.Timing;

/// <summary>
/// Extends a sender's 32.32 timestamps (32-bit seconds, which wrap every 2³² s) to a continuous 64-bit
/// nanosecond count: each value is placed within ±2³¹ s of the previous one. The first value is taken as it is.
/// Not thread-safe.
/// </summary>
public sealed class SenderTimestampUnwrapper
{
    private ulong _lastRaw;
    private Int128 _lastUnwrapped;
    private bool _started;

    /// <summary>True once a timestamp has been read.</summary>
    public bool HasStarted => _started;

    /// <summary>Nanoseconds of <paramref name="raw"/> (32.32) on the continuous count.</summary>
    public long Unwrap(ulong raw)
    {
        if (!_started)
        {
            _started = true;
            _lastUnwrapped = raw;
        }
        else
        {
            // The difference as a signed 32.32 number: a wrap of the seconds field is a small step forward.
            _lastUnwrapped += unchecked((long)(raw - _lastRaw));
        }

        _lastRaw = raw;
        return ToNanoseconds(_lastUnwrapped);
    }

    private static long ToNanoseconds(Int128 fixedPoint)
    {
        var nanoseconds = (fixedPoint * 1_000_000_000) >> 32;
        return nanoseconds > long.MaxValue ? long.MaxValue : nanoseconds < long.MinValue ? long.MinValue : (long)nanoseconds;
    }
}
