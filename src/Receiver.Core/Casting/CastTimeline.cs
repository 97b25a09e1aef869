namespace Receiver.Core.Casting;

/// <summary>
/// A cast video's timeline as the receiver owns it: state, rate, duration and a position that advances from an anchor
/// (position at an instant) while playing. Pure: every instant is passed in. Each change the pages must apply (start,
/// pause, resume, seek) increases <see cref="Version"/>, so a page's report made before it applied a change can be
/// told from one made after.
/// </summary>
public sealed class CastTimeline
{
    private double _anchorPosition;
    private DateTimeOffset _anchorTime;
    private double? _startFraction;

    public CastTimeline(double startPosition, DateTimeOffset now)
    {
        _anchorPosition = Math.Max(0, startPosition);
        _anchorTime = now;
    }

    /// <param name="startFraction">
    /// Where to start as a fraction of the video (the older <c>Start-Position</c>, 0 to 1): applied once the duration
    /// is known, unless the sender seeks first.
    /// </param>
    public CastTimeline(double startPosition, double? startFraction, DateTimeOffset now)
        : this(startPosition, now)
    {
        if (startFraction is { } fraction && double.IsFinite(fraction) && fraction > 0)
        {
            _startFraction = Math.Min(fraction, 1);
        }
    }

    /// <summary>The fraction of the video to start at while it waits for the duration; null when none is pending.</summary>
    public double? PendingStartFraction => _startFraction;

    public CastState State { get; private set; } = CastState.Loading;

    /// <summary>The rate the sender asked for: 1 plays, 0 pauses. A paused cast keeps 0 until the sender resumes.</summary>
    public double Rate { get; private set; } = 1;

    /// <summary>The video's length in seconds as a page measured it; 0 while unknown, +∞ for a live stream.</summary>
    public double Duration { get; private set; }

    /// <summary>Increases with every change the pages must apply.</summary>
    public long Version { get; private set; } = 1;

    /// <summary>Why the cast failed (<see cref="CastState.Failed"/>), in words a person can read.</summary>
    public string? FailureReason { get; private set; }

    public bool IsFinal => State is CastState.Ended or CastState.Failed;

    /// <summary>The position in seconds at <paramref name="now"/>.</summary>
    public double PositionAt(DateTimeOffset now)
    {
        if (State != CastState.Playing)
        {
            return _anchorPosition;
        }

        var position = _anchorPosition + (Rate * (now - _anchorTime).TotalSeconds);
        return Duration > 0 && !double.IsInfinity(Duration) ? Math.Min(position, Duration) : position;
    }

    /// <summary>The sender's <c>/rate</c>: 0 pauses at the current position, any other value plays (at once when a page has started the video).</summary>
    public bool SetRate(double rate, DateTimeOffset now)
    {
        if (IsFinal || double.IsNaN(rate))
        {
            return false;
        }

        var position = PositionAt(now);
        Rate = rate;
        if (rate == 0)
        {
            Reanchor(position, now, State == CastState.Loading ? CastState.Loading : CastState.Paused);
        }
        else if (State == CastState.Paused)
        {
            Reanchor(position, now, CastState.Playing);
        }

        Version++;
        return true;
    }

    /// <summary>The sender's <c>/scrub</c>: the position moves; a playing cast goes on playing from there.</summary>
    public bool Seek(double position, DateTimeOffset now)
    {
        if (IsFinal || double.IsNaN(position))
        {
            return false;
        }

        _startFraction = null;
        var target = Math.Max(0, position);
        if (Duration > 0 && !double.IsInfinity(Duration))
        {
            target = Math.Min(target, Duration);
        }

        Reanchor(target, now, State);
        Version++;
        return true;
    }

    /// <summary>
    /// The leading page reports that it plays at <paramref name="position"/>: a loading cast starts there (or pauses
    /// there if the sender paused meanwhile); a playing cast that drifted more than <paramref name="tolerance"/>
    /// seconds from the page (a stall, a slow start) moves to the page's position, so the timeline never runs ahead of
    /// what a page can show.
    /// </summary>
    public bool FollowLeader(double position, bool playing, DateTimeOffset now, double tolerance)
    {
        if (IsFinal)
        {
            return false;
        }

        if (State == CastState.Loading && playing)
        {
            Reanchor(position, now, Rate == 0 ? CastState.Paused : CastState.Playing);
            Version++;
            return true;
        }

        if (State == CastState.Playing && Math.Abs(PositionAt(now) - position) > tolerance)
        {
            Reanchor(position, now, CastState.Playing);
            return true;
        }

        return false;
    }

    /// <summary>
    /// A page measured the video's duration (seconds; +∞ for live). A pending start fraction then becomes a position:
    /// the timeline moves there and <see cref="Version"/> grows, so the pages seek.
    /// </summary>
    public bool SetDuration(double duration, DateTimeOffset now)
    {
        if (double.IsNaN(duration) || duration <= 0 || duration == Duration)
        {
            return false;
        }

        Duration = duration;
        if (_startFraction is { } fraction && !IsFinal)
        {
            _startFraction = null;
            if (!double.IsInfinity(duration))
            {
                Reanchor(fraction * duration, now, State);
                Version++;
            }
        }

        return true;
    }

    /// <summary>The video played to its end.</summary>
    public bool End(DateTimeOffset now)
    {
        if (IsFinal)
        {
            return false;
        }

        Reanchor(Duration > 0 && !double.IsInfinity(Duration) ? Duration : PositionAt(now), now, CastState.Ended);
        Version++;
        return true;
    }

    /// <summary>The video cannot be played: <paramref name="reason"/> says why.</summary>
    public bool Fail(string reason, DateTimeOffset now)
    {
        if (IsFinal)
        {
            return false;
        }

        FailureReason = reason;
        Reanchor(PositionAt(now), now, CastState.Failed);
        Version++;
        return true;
    }

    private void Reanchor(double position, DateTimeOffset now, CastState state)
    {
        _anchorPosition = position;
        _anchorTime = now;
        State = state;
    }
}
