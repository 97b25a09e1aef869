namespace Receiver.Core.Timing;

/// <summary>
/// One session's view of its sender's clock (docs/CLOCKS.md). Every sender timestamp (mirror packet headers,
/// audio sync packets, timing replies) goes through it, and it answers two questions:
/// <list type="bullet">
/// <item>Where does a timestamp lie on the session's one sender timeline? Both encodings of the sender clock are
/// unwrapped (their 32-bit seconds wrap) and put on the timeline of whichever came first; the other is shifted by the
/// whole number of seconds between the encodings (0 for a sender that writes its clock the same way in both, the
/// 1900→1970 epoch offset for real iPhones), measured once from the first packets of each and then fixed. Nothing is
/// assumed about the sender's epoch. Media timelines (fMP4 decode times, A/V alignment) use this timeline, so they
/// never jump when the mapping to local time below is refined.</item>
/// <item>When, on the receiver's clock, was a sender instant? From the NTP exchange (offset of the reply with the
/// smallest round trip among the recent ones) while the sender answers, otherwise from packet arrivals (sender time
/// minus arrival time, the largest over the last seconds, i.e. the shortest transit). Both follow a drifting sender
/// clock. Latency figures use this mapping.</item>
/// </list>
/// Local times are nanoseconds of the <see cref="TimeProvider"/>'s monotonic timestamp, counted from the clock's
/// creation. Thread-safe.
/// </summary>
public sealed class SenderClock
{
    /// <summary>How long the NTP offset is used after the last reply before arrivals take over.</summary>
    public static readonly TimeSpan DefaultNtpFreshness = TimeSpan.FromSeconds(15);

    private const long NanosecondsPerSecond = 1_000_000_000;

    /// <summary>How far a measured difference between the two encodings may be from a known one (10 s, in nanoseconds).</summary>
    public const long KnownShiftTolerance = 10 * NanosecondsPerSecond;

    /// <summary>
    /// The differences between the encodings that senders use: none, and the 1900→1970 epoch either way (also as it
    /// looks when one encoding's 32-bit seconds have wrapped and the other's have not).
    /// </summary>
    private static readonly long[] KnownShifts =
    [
        0,
        (long)NtpTimestamp.UnixEpochOffsetSeconds * NanosecondsPerSecond,
        -(long)NtpTimestamp.UnixEpochOffsetSeconds * NanosecondsPerSecond,
        ((1L << 32) - (long)NtpTimestamp.UnixEpochOffsetSeconds) * NanosecondsPerSecond,
        -((1L << 32) - (long)NtpTimestamp.UnixEpochOffsetSeconds) * NanosecondsPerSecond,
    ];

    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    private readonly long _origin;
    private readonly long _ntpFreshnessNs;
    private readonly DomainState[] _domains = [new(), new()];
    private readonly ClockOffsetEstimator _ntp = new();
    private SenderTimeDomain? _anchor;
    private long _lastReplyLocal;
    private long _replies;

    public SenderClock(TimeProvider time, TimeSpan? ntpFreshness = null)
    {
        ArgumentNullException.ThrowIfNull(time);
        _time = time;
        _origin = time.GetTimestamp();
        _ntpFreshnessNs = (long)(ntpFreshness ?? DefaultNtpFreshness).TotalNanoseconds;
    }

    /// <summary>The local clock now (nanoseconds of the monotonic timestamp since the clock was created).</summary>
    public long LocalNow => ToLocalNanoseconds(_time.GetTimestamp());

    /// <summary>Timing replies accepted.</summary>
    public long TimingReplies => Interlocked.Read(ref _replies);

    /// <summary>What the local mapping currently rests on.</summary>
    public SenderClockSource Source
    {
        get
        {
            lock (_gate)
            {
                return NtpIsFresh(LocalNow) ? SenderClockSource.Ntp
                    : _domains[0].Arrivals.HasValue || _domains[1].Arrivals.HasValue ? SenderClockSource.Arrival
                    : SenderClockSource.None;
            }
        }
    }

    /// <summary>Seconds added to mirror-header times to put them on the NTP encoding, once measured (diagnostics).</summary>
    public long? MirrorToNtpSeconds
    {
        get
        {
            lock (_gate)
            {
                var mirror = _domains[(int)SenderTimeDomain.Mirror].Shift;
                var ntp = _domains[(int)SenderTimeDomain.Ntp].Shift;
                return mirror is { } m && ntp is { } n ? (m - n) / NanosecondsPerSecond : null;
            }
        }
    }

    /// <summary>Converts a monotonic timestamp of the clock's <see cref="TimeProvider"/> to local nanoseconds.</summary>
    public long ToLocalNanoseconds(long timestamp) =>
        (long)((Int128)(timestamp - _origin) * NanosecondsPerSecond / _time.TimestampFrequency);

    /// <summary>
    /// Places a sender timestamp (32.32 as carried in <paramref name="domain"/>) that arrived at local time
    /// <paramref name="arrivalLocal"/> on the session's sender timeline, in nanoseconds.
    /// </summary>
    public long ToSessionTime(SenderTimeDomain domain, ulong raw, long arrivalLocal)
    {
        lock (_gate)
        {
            var state = _domains[(int)domain];
            var unwrapped = state.Unwrapper.Unwrap(raw);
            state.Arrivals.Add(unwrapped, arrivalLocal);
            _anchor ??= domain;
            state.Shift ??= MeasureShift(domain);
            return unwrapped + state.Shift.Value;
        }
    }

    /// <summary>
    /// Adds one timing exchange: <paramref name="t0Local"/> our request, <paramref name="t1"/>/<paramref name="t2"/>
    /// the sender's receive and transmit times (NTP 32.32 as sent), <paramref name="t3Local"/> the reply's arrival.
    /// </summary>
    public TimingSample AddTimingSample(long t0Local, ulong t1, ulong t2, long t3Local)
    {
        lock (_gate)
        {
            var unwrapper = _domains[(int)SenderTimeDomain.Ntp].Unwrapper;
            var sample = new TimingSample(t0Local, unwrapper.Unwrap(t1), unwrapper.Unwrap(t2), t3Local);
            if (sample.Delay >= 0)
            {
                _ntp.Add(sample);
                _lastReplyLocal = t3Local;
                _replies++;
            }

            return sample;
        }
    }

    /// <summary>The local time of a sender instant on the session timeline, or false while nothing maps it yet.</summary>
    public bool TryGetLocalTime(long sessionNs, out long localNs)
    {
        lock (_gate)
        {
            localNs = 0;
            if (_anchor is null)
            {
                return false;
            }

            var ntp = _domains[(int)SenderTimeDomain.Ntp];
            if (NtpIsFresh(LocalNow))
            {
                ntp.Shift ??= MeasureShift(SenderTimeDomain.Ntp);
                localNs = sessionNs - ntp.Shift.Value - _ntp.Best!.Value.Offset;
                return true;
            }

            DomainState? newest = null;
            foreach (var state in _domains)
            {
                if (state.Shift is not null && state.Arrivals.HasValue && (newest is null || state.Arrivals.LastArrival > newest.Arrivals.LastArrival))
                {
                    newest = state;
                }
            }

            if (newest is null)
            {
                return false;
            }

            localNs = sessionNs - newest.Shift!.Value - newest.Arrivals.Offset;
            return true;
        }
    }

    /// <summary>The receiver's wall-clock time (microseconds since 1970) of a sender instant, or null while unknown.</summary>
    public long? ToUnixMicroseconds(long sessionNs)
    {
        if (!TryGetLocalTime(sessionNs, out var local))
        {
            return null;
        }

        var nowLocal = LocalNow;
        var nowUnixUs = (_time.GetUtcNow() - DateTimeOffset.UnixEpoch).Ticks / 10;
        return nowUnixUs - ((nowLocal - local) / 1000);
    }

    private bool NtpIsFresh(long nowLocal) => _ntp.SampleCount > 0 && nowLocal - _lastReplyLocal <= _ntpFreshnessNs;

    /// <summary>
    /// The shift of <paramref name="domain"/> onto the anchor's timeline, from the difference of the two encodings'
    /// offsets from the local clock. What blurs that difference is how late the first packets of each kind were
    /// (transit, encoding, a sender catching up after a slow start: up to seconds). Every known sender writes its
    /// two encodings either alike or 2,208,988,800 s (the 1900→1970 epoch) apart, so a difference within
    /// <see cref="KnownShiftTolerance"/> of one of those is taken as exactly that; any other is rounded to whole
    /// seconds.
    /// </summary>
    private long MeasureShift(SenderTimeDomain domain)
    {
        if (_anchor == domain)
        {
            return 0;
        }

        var anchorOffset = OffsetOf(_anchor!.Value);
        var offset = OffsetOf(domain);
        if (anchorOffset is null || offset is null)
        {
            return 0;
        }

        var difference = anchorOffset.Value - offset.Value;
        foreach (var known in KnownShifts)
        {
            if (Math.Abs(difference - known) <= KnownShiftTolerance)
            {
                return known;
            }
        }

        var (seconds, remainder) = Math.DivRem(difference, NanosecondsPerSecond);
        seconds += remainder >= NanosecondsPerSecond / 2 ? 1 : remainder <= -NanosecondsPerSecond / 2 ? -1 : 0;
        return seconds * NanosecondsPerSecond;
    }

    private long? OffsetOf(SenderTimeDomain domain)
    {
        if (domain == SenderTimeDomain.Ntp && _ntp.Best is { } best)
        {
            return best.Offset;
        }

        var arrivals = _domains[(int)domain].Arrivals;
        return arrivals.HasValue ? arrivals.Offset : null;
    }

    private sealed class DomainState
    {
        public SenderTimestampUnwrapper Unwrapper { get; } = new();

        public ArrivalOffsetWindow Arrivals { get; } = new();

        public long? Shift { get; set; }
    }
}
