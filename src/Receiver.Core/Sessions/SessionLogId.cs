namespace Receiver.Core.Sessions;

/// <summary>
/// How a session is named in logs at Information level and above: its first four characters, enough to tell
/// sessions apart in a log, not enough to address one (the full id appears only at Debug).
/// </summary>
public static class SessionLogId
{
    public static string Of(string? sessionId) =>
        string.IsNullOrEmpty(sessionId) ? "-" : sessionId.Length <= 4 ? sessionId : string.Concat(sessionId.AsSpan(0, 4), "…");
}
