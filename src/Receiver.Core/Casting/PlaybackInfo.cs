using Receiver.Core.Plist;

namespace Receiver.Core.Casting;

/// <summary>
/// The answer to <c>GET /playback-info</c>, built from a <see cref="CastSnapshot"/>: duration (−1 once the video has
/// ended), position, rate, readiness and the loaded and seekable ranges the leading page measured.
/// </summary>
public static class PlaybackInfo
{
    public static PlistDict Build(CastSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var ended = snapshot.State == CastState.Ended;
        var duration = ended ? -1 : double.IsInfinity(snapshot.Duration) ? 0 : snapshot.Duration;
        var loaded = snapshot.Loaded;
        var bufferedAhead = loaded.Any(r => r.Start <= snapshot.Position + 0.1 && r.Start + r.Duration > snapshot.Position + 1);
        return new PlistDict
        {
            ["duration"] = duration,
            ["position"] = snapshot.Position,
            ["rate"] = snapshot.Rate,
            ["readyToPlay"] = snapshot.ReadyToPlay,
            ["playbackBufferEmpty"] = !bufferedAhead,
            ["playbackBufferFull"] = false,
            ["playbackLikelyToKeepUp"] = bufferedAhead,
            ["loadedTimeRanges"] = Ranges(loaded),
            ["seekableTimeRanges"] = Ranges(snapshot.Seekable),
        };
    }

    private static PlistArray Ranges(IReadOnlyList<CastTimeRange> ranges) =>
        new(ranges.Select(r => (PlistValue)new PlistDict { ["start"] = r.Start, ["duration"] = r.Duration }));
}
