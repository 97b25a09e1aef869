namespace Receiver.Web.Recording;

/// <summary>A session's recording: its files (download them from <c>/api/recordings/{name}</c>) and what went into them.</summary>
/// <param name="SessionId">The recorded session.</param>
/// <param name="StartedAt">When recording was asked for; the first file starts at the next keyframe (or the session's current GOP).</param>
/// <param name="StoppedAt">When it stopped (by request or because the session ended); null while recording.</param>
/// <param name="Active">True while recording.</param>
/// <param name="Files">The MP4 files, in order: a new one follows each format change (rotation, resolution).</param>
/// <param name="Bytes">Bytes written so far.</param>
/// <param name="VideoFrames">Video frames written so far.</param>
/// <param name="Seconds">Recorded picture time so far, over all files.</param>
/// <param name="Skips">Times the recorder fell behind and skipped to the next keyframe (0 on a healthy disk).</param>
/// <param name="Error">What went wrong when recording stopped early (the disk error, or the free space against the floor), or null.</param>
/// <param name="Reason">
/// Why it stopped, once it has: <c>requested</c>, <c>session-ended</c>, <c>shutdown</c>, <c>max-bytes</c>,
/// <c>disk-full</c> or <c>write-failed</c>; null while recording.
/// </param>
/// <param name="MaxBytes">The most this recording may write (<c>Receiver:Recording:MaxBytes</c>).</param>
public sealed record RecordingInfo(
    string SessionId,
    DateTimeOffset StartedAt,
    DateTimeOffset? StoppedAt,
    bool Active,
    IReadOnlyList<string> Files,
    long Bytes,
    long VideoFrames,
    double Seconds,
    long Skips,
    string? Error,
    string? Reason,
    long MaxBytes);

/// <summary>A recorded MP4 file in the recordings folder.</summary>
/// <param name="Name">File name; <c>GET /api/recordings/{name}</c> downloads it.</param>
/// <param name="Bytes">Size.</param>
/// <param name="ModifiedAt">Last write.</param>
/// <param name="Active">True while a recording is still writing it.</param>
public sealed record RecordingFile(string Name, long Bytes, DateTimeOffset ModifiedAt, bool Active);
