using System.Collections.Concurrent;
using Receiver.Core.Sessions;

namespace Receiver.Web.Metrics;

/// <summary>
/// Follows the live sessions' media counters: computes per-session rates from counter deltas at each
/// <see cref="Sample"/> and keeps running totals (including ended sessions) for the metrics.
/// </summary>
public sealed class SessionStatsTracker(TimeProvider time)
{
    private readonly ConcurrentDictionary<string, Entry> _live = new(StringComparer.Ordinal);
    private long _endedFrames;
    private long _endedBytes;
    private long _endedDropped;

    /// <summary>Video frames of all sessions since start-up, ended ones included.</summary>
    public long TotalFrames => Interlocked.Read(ref _endedFrames) + _live.Values.Sum(e => e.Session.Media.FramesPublished);

    /// <summary>Video bytes of all sessions since start-up, ended ones included.</summary>
    public long TotalBytes => Interlocked.Read(ref _endedBytes) + _live.Values.Sum(e => e.Session.Media.BytesPublished);

    /// <summary>Fragments dropped for slow viewers since start-up, ended sessions included.</summary>
    public long TotalDropped => Interlocked.Read(ref _endedDropped) + _live.Values.Sum(e => e.Session.Media.DroppedFragments);

    /// <summary>Viewers of all live sessions.</summary>
    public int TotalViewers => _live.Values.Sum(e => e.Session.Media.ViewerCount);

    public IEnumerable<MirroringSession> Sessions => _live.Values.Select(e => e.Session);

    /// <summary>Starts following <paramref name="session"/>; a session already followed is left as it is.</summary>
    public void Track(MirroringSession session)
    {
        ArgumentNullException.ThrowIfNull(session);
        if (!session.HasEnded)
        {
            _live.TryAdd(session.Id, new Entry(session, time.GetTimestamp(), time));
        }
    }

    /// <summary>Stops following a session and adds its final counters to the totals.</summary>
    public void Forget(string sessionId)
    {
        if (_live.TryRemove(sessionId, out var entry))
        {
            var media = entry.Session.Media;
            Interlocked.Add(ref _endedFrames, media.FramesPublished);
            Interlocked.Add(ref _endedBytes, media.BytesPublished);
            Interlocked.Add(ref _endedDropped, media.DroppedFragments);
        }
    }

    /// <summary>The latest sampled statistics of a session, or zeros before the first sample.</summary>
    public SessionStats StatsOf(MirroringSession session)
    {
        ArgumentNullException.ThrowIfNull(session);
        if (_live.TryGetValue(session.Id, out var entry) && entry.Latest is { } latest)
        {
            return latest;
        }

        var media = session.Media;
        return new SessionStats(session.Id, 0, 0, media.FramesPublished, media.BytesPublished, media.DroppedFragments, media.ViewerCount, null,
            null, media.AudioFramesPublished, media.DroppedAudioFragments);
    }

    /// <summary>Computes every live session's rates since its previous sample.</summary>
    public IReadOnlyList<SessionStats> Sample()
    {
        var now = time.GetTimestamp();
        var result = new List<SessionStats>(_live.Count);
        foreach (var entry in _live.Values)
        {
            if (!entry.Session.HasEnded)
            {
                result.Add(entry.Sample(now));
            }
        }

        return result;
    }

    private sealed class Entry(MirroringSession session, long startedTicks, TimeProvider time)
    {
        private long _lastTicks = startedTicks;
        private long _lastFrames;
        private long _lastBytes;

        public MirroringSession Session { get; } = session;

        public SessionStats? Latest { get; private set; }

        public SessionStats Sample(long now)
        {
            var media = Session.Media;
            var frames = media.FramesPublished;
            var bytes = media.BytesPublished;
            var seconds = time.GetElapsedTime(_lastTicks, now).TotalSeconds;
            var fps = seconds > 0 ? (frames - _lastFrames) / seconds : 0;
            var bitrate = seconds > 0 ? (long)((bytes - _lastBytes) * 8 / seconds) : 0;
            _lastTicks = now;
            _lastFrames = frames;
            _lastBytes = bytes;
            var latency = Session.CaptureLatency.TakeMedian();
            var stats = new SessionStats(
                Session.Id,
                Math.Round(fps, 2),
                bitrate,
                frames,
                bytes,
                media.DroppedFragments,
                media.ViewerCount,
                latency is { } ms ? Math.Round(ms, 1) : null,
                Session.ReceiverLatency.TakeSummary()?.Round(3),
                media.AudioFramesPublished,
                media.DroppedAudioFragments,
                media.AudioOffsetMicroseconds is { } offset ? Math.Round(offset / 1000.0, 1) : null);
            Latest = stats;
            return stats;
        }
    }
}
