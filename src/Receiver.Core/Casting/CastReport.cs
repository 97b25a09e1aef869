namespace Receiver.Core.Casting;

/// <summary>
/// What a viewer page measured of the cast video: its position (seconds), the duration it knows (0 unknown, +∞
/// live), whether it can play and plays, whether it reached the end, what it buffered and can seek, an error in its
/// own words, and the <see cref="CastTimeline.Version"/> it had applied when it measured.
/// </summary>
public sealed record CastReport(
    long Version,
    double Position,
    double Duration,
    bool Ready,
    bool Playing,
    bool Ended,
    string? Error,
    IReadOnlyList<CastTimeRange> Buffered,
    IReadOnlyList<CastTimeRange> Seekable);
