namespace Receiver.Core.Casting;

/// <summary>A range of the video in seconds, as <c>/playback-info</c> lists them (<c>start</c>, <c>duration</c>).</summary>
public readonly record struct CastTimeRange(double Start, double Duration);
