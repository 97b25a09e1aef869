namespace Receiver.Core.Sessions;

/// <summary>Something that happened to a mirroring session; published in order per session on <see cref="SessionEventHub"/>.</summary>
public abstract record SessionEvent(string SessionId, DateTimeOffset Timestamp);

public sealed record SessionStartedEvent(string SessionId, DateTimeOffset Timestamp, SenderInfo Sender, string Protocol)
    : SessionEvent(SessionId, Timestamp);

public sealed record StreamStartedEvent(string SessionId, DateTimeOffset Timestamp, StreamKind Kind, string? Codec, int Width, int Height)
    : SessionEvent(SessionId, Timestamp);

/// <summary>The sender's video format changed: rotation, resolution or codec.</summary>
public sealed record FormatChangedEvent(string SessionId, DateTimeOffset Timestamp, string Codec, int Width, int Height)
    : SessionEvent(SessionId, Timestamp);

public sealed record VolumeChangedEvent(string SessionId, DateTimeOffset Timestamp, double VolumeDb)
    : SessionEvent(SessionId, Timestamp);

public sealed record StreamEndedEvent(string SessionId, DateTimeOffset Timestamp, StreamKind Kind)
    : SessionEvent(SessionId, Timestamp);

/// <summary>
/// Recording of the session started (<paramref name="Recording"/> true) or stopped; <paramref name="Files"/> and
/// <paramref name="Bytes"/> so far; once stopped, <paramref name="Reason"/> says why (the recorder's own words).
/// </summary>
public sealed record RecordingChangedEvent(string SessionId, DateTimeOffset Timestamp, bool Recording, IReadOnlyList<string> Files, string? Reason = null, long Bytes = 0)
    : SessionEvent(SessionId, Timestamp);

public sealed record SessionEndedEvent(string SessionId, DateTimeOffset Timestamp, SessionEndReason Reason)
    : SessionEvent(SessionId, Timestamp);

/// <summary>
/// The receiver declined or changed what a sender asked for (<paramref name="Kind"/>), with why in
/// <paramref name="Detail"/>. <paramref name="SessionId"/> is empty when the request came before any session.
/// </summary>
public sealed record SenderNoticeEvent(string SessionId, DateTimeOffset Timestamp, SenderNoticeKind Kind, string Remote, string? DeviceId, string Detail)
    : SessionEvent(SessionId, Timestamp);

/// <summary>A cast session's video was handed over: the host it comes from, its title when the sender gave one, <c>file</c> or <c>hls</c>.</summary>
public sealed record CastStartedEvent(string SessionId, DateTimeOffset Timestamp, string Host, string? Title, string MediaKind)
    : SessionEvent(SessionId, Timestamp);

/// <summary>A cast's state changed: <paramref name="State"/> is loading, playing, paused, ended or <c>failed: reason</c>.</summary>
public sealed record CastStateChangedEvent(string SessionId, DateTimeOffset Timestamp, string State, double Position, double Rate, double Duration)
    : SessionEvent(SessionId, Timestamp);
