namespace Receiver.Web.Api;

/// <summary>A snapshot's decoder failed on the session's keyframe (the API answers 503 with the reason).</summary>
public sealed class SnapshotFailedException(string message, Exception inner) : Exception(message, inner);
