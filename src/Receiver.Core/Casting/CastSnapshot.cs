namespace Receiver.Core.Casting;

/// <summary>
/// The cast's timeline and what the leading page measured, at one instant. <see cref="Rate"/> is what the video
/// does (0 unless playing); <see cref="RequestedRate"/> what the sender asked for, so a page knows to start a
/// loading video (1) or to keep it still (0).
/// </summary>
public sealed record CastSnapshot(
    CastState State,
    double Position,
    double Rate,
    double Duration,
    long Version,
    bool ReadyToPlay,
    string? FailureReason,
    IReadOnlyList<CastTimeRange> Loaded,
    IReadOnlyList<CastTimeRange> Seekable,
    DateTimeOffset At,
    double RequestedRate = 1)
{
    /// <summary>The state as the API and pages name it: <c>loading</c>, <c>playing</c>, <c>paused</c>, <c>ended</c> or <c>failed: reason</c>.</summary>
    public string StateText => State switch
    {
        CastState.Loading => "loading",
        CastState.Playing => "playing",
        CastState.Paused => "paused",
        CastState.Ended => "ended",
        _ => $"failed: {FailureReason}",
    };
}
