namespace Receiver.Sender.Casting;

/// <summary>What <c>/playback-info</c> answered: duration (−1 ended), position, rate, readiness and the number of loaded ranges.</summary>
public sealed record CastPlaybackInfo(double Duration, double Position, double Rate, bool ReadyToPlay, int LoadedRanges);
