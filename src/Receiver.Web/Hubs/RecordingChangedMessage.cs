namespace Receiver.Web.Hubs;

/// <summary>
/// A session's recording started, opened a new file, or stopped; <paramref name="Files"/> are the MP4 files written
/// so far and <paramref name="Bytes"/> their size. When it stopped, <paramref name="Reason"/> says why: requested,
/// session-ended, shutdown, max-bytes, disk-full or write-failed (null while recording).
/// </summary>
public sealed record RecordingChangedMessage(string SessionId, bool Recording, IReadOnlyList<string> Files, string? Reason, long Bytes);
