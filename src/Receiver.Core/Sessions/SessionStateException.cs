namespace Receiver.Core.Sessions;

/// <summary>A request that is valid on its own but not in the session's current state (e.g. RECORD before SETUP).</summary>
public sealed class SessionStateException : Exception
{
    public SessionStateException(int statusCode, string message, bool close = false)
        : base(message)
    {
        StatusCode = statusCode;
        Close = close;
    }

    public int StatusCode { get; }

    public bool Close { get; }
}
