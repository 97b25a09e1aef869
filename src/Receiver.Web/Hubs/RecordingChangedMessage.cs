namespace Receiver.Web.Hubs;

/// <summary>A session's recording started, opened a new file, or stopped; <paramref name="Files"/> are the MP4 files written so far.</summary>
public sealed record RecordingChangedMessage(string SessionId, bool Recording, IReadOnlyList<string> Files);
