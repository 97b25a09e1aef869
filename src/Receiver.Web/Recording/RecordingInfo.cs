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
/// <param name="Error">Why recording stopped early (a disk error), or null.</param>
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
    string? Error);

/// <summary>A recorded MP4 file in the recordings folder.</summary>
/// <param name="Name">File name; <c>GET /api/recordings/{name}</c> downloads it.</param>
/// <param name="Bytes">Size.</param>
/// <param name="ModifiedAt">Last write.</param>
/// <param name="Active">True while a recording is still writing it.</param>
public sealed record RecordingFile(string Name, long Bytes, DateTimeOffset ModifiedAt, bool Active);
