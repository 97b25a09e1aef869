namespace Receiver.Web.Recording;

/// <summary>Why a recording was not started.</summary>
public enum RecordingRefusal
{
    /// <summary>The session is being recorded already.</summary>
    AlreadyRecording,

    /// <summary>The session has ended.</summary>
    SessionEnded,

    /// <summary><c>Receiver:Recording:MaxConcurrent</c> recordings are running.</summary>
    TooManyRecordings,

    /// <summary>The recordings volume is at its floor (<c>Receiver:Recording:MinFreeBytes</c>).</summary>
    InsufficientStorage,
}

/// <summary>The outcome of <see cref="RecordingService.Start"/>: the recording, or why there is none, in words for people.</summary>
public sealed record RecordingStartResult(RecordingInfo? Info, RecordingRefusal? Refusal, string? Detail)
{
    public static RecordingStartResult Started(RecordingInfo info) => new(info, null, null);

    public static RecordingStartResult Refused(RecordingRefusal refusal, string detail) => new(null, refusal, detail);
}
