namespace Receiver.Core.Casting;

/// <summary>
/// One video cast to the receiver: what to play and the timeline every viewer page follows. The sender moves the
/// timeline (<c>/rate</c>, <c>/scrub</c>); the pages report what they measure, and the first page that reports leads:
/// the timeline starts when it plays and follows it when it stalls, so <c>/playback-info</c> tells what a page shows.
/// Thread-safe; <see cref="Changed"/> is raised outside the lock.
/// </summary>
public sealed class CastSession
{
    /// <summary>How far the leading page may be from the timeline before the timeline moves to it.</summary>
    public const double LeaderTolerance = 0.2;

    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    private readonly CastTimeline _timeline;
    private long? _leader;
    private CastReport? _leaderReport;
    private bool _watched;

    public CastSession(string appleSessionId, Uri url, CastMediaKind kind, string? title, double startPosition, TimeProvider time)
        : this(appleSessionId, url, kind, title, startPosition, null, time)
    {
    }

    /// <param name="startFraction">The older <c>Start-Position</c>: where to start as a fraction of the video, applied once a page knows the duration.</param>
    public CastSession(string appleSessionId, Uri url, CastMediaKind kind, string? title, double startPosition, double? startFraction, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        AppleSessionId = appleSessionId;
        Url = url;
        Kind = kind;
        Title = title;
        _time = time;
        _timeline = new CastTimeline(startPosition, startFraction, time.GetUtcNow());
    }

    /// <summary>The sender's <c>X-Apple-Session-ID</c>: every request about this cast carries it.</summary>
    public string AppleSessionId { get; }

    /// <summary>The address the viewer pages play (for HLS: the receiver's own rewritten playlist is played instead).</summary>
    public Uri Url { get; }

    public CastMediaKind Kind { get; }

    /// <summary>The playlists and segment table of an HLS cast; null for a file.</summary>
    public HlsCast? Hls { get; init; }

    /// <summary>What the viewer pages load: the receiver's own master playlist for HLS, the URL itself for a file.</summary>
    public string PageUrl => Hls?.MasterPath ?? Url.AbsoluteUri;

    /// <summary>The video's title when the sender gave one.</summary>
    public string? Title { get; }

    /// <summary>
    /// Raised after every change: the snapshot, and whether the state changed (playing, paused…) rather than only
    /// the position or what a page measured. Handlers must be quick and must not throw.
    /// </summary>
    public event Action<CastSnapshot, bool>? Changed;

    public CastSnapshot Snapshot()
    {
        lock (_gate)
        {
            return SnapshotLocked(_time.GetUtcNow());
        }
    }

    /// <summary>The sender's <c>/rate?value=</c>.</summary>
    public bool SetRate(double rate) => Apply(t => t.SetRate(rate, _time.GetUtcNow()));

    /// <summary>The sender's <c>/scrub?position=</c>.</summary>
    public bool Seek(double position) => Apply(t => t.Seek(position, _time.GetUtcNow()));

    /// <summary>The video cannot be played (a bad playlist, DRM, unreachable media).</summary>
    public bool Fail(string reason) => Apply(t => t.Fail(reason, _time.GetUtcNow()));

    /// <summary>The wait for a first viewer page is over: a cast no page has reported on yet fails with <paramref name="reason"/>.</summary>
    public bool FailUnwatched(string reason) => Apply(t => !_watched && t.Fail(reason, _time.GetUtcNow()));

    /// <summary>A viewer page's measurement. The first page to report leads until it leaves.</summary>
    public void Report(long viewerId, CastReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        Apply(timeline =>
        {
            _watched = true;
            _leader ??= viewerId;
            if (_leader != viewerId || report.Version != timeline.Version)
            {
                // Followers, and a leader that has not applied the latest change yet, only watch.
                return report.Error is not null && _leader == viewerId && timeline.Fail(report.Error, _time.GetUtcNow());
            }

            _leaderReport = report;
            var now = _time.GetUtcNow();
            var version = timeline.Version;
            var changed = timeline.SetDuration(report.Duration, now);
            if (timeline.Version != version)
            {
                // The start fraction became a position: the pages seek there before their position counts.
                return true;
            }

            if (report.Error is not null)
            {
                return timeline.Fail(report.Error, now) || changed;
            }

            if (report.Ended)
            {
                return timeline.End(now) || changed;
            }

            return timeline.FollowLeader(report.Position, report.Playing, now, LeaderTolerance) || changed;
        });
    }

    /// <summary>A viewer page closed: when it led, the next page to report leads.</summary>
    public void ViewerLeft(long viewerId)
    {
        lock (_gate)
        {
            if (_leader == viewerId)
            {
                _leader = null;
                _leaderReport = null;
            }
        }
    }

    private bool Apply(Func<CastTimeline, bool> change)
    {
        CastSnapshot snapshot;
        bool stateChanged;
        lock (_gate)
        {
            var before = _timeline.State;
            var beforeRate = _timeline.Rate;
            if (!change(_timeline))
            {
                return false;
            }

            snapshot = SnapshotLocked(_time.GetUtcNow());
            stateChanged = before != _timeline.State || beforeRate != _timeline.Rate;
        }

        Changed?.Invoke(snapshot, stateChanged);
        return true;
    }

    private CastSnapshot SnapshotLocked(DateTimeOffset now)
    {
        var report = _leaderReport;
        return new CastSnapshot(
            _timeline.State,
            _timeline.PositionAt(now),
            _timeline.State == CastState.Playing ? _timeline.Rate : 0,
            _timeline.Duration,
            _timeline.Version,
            report?.Ready == true,
            _timeline.FailureReason,
            report?.Buffered ?? [],
            report?.Seekable ?? [],
            now,
            _timeline.Rate);
    }
}
