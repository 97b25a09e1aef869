namespace Receiver.Core.Sessions;

/// <summary>Why a session ended.</summary>
public enum SessionEndReason
{
    /// <summary>The sender sent TEARDOWN for the whole session.</summary>
    Teardown,

    /// <summary>The sender's control connection closed or failed.</summary>
    Disconnect,

    /// <summary>No request or data from the sender within the idle timeout.</summary>
    Timeout,

    /// <summary>An operator ended it through the admin API.</summary>
    Kicked,

    /// <summary>A protocol error on one of the session's connections.</summary>
    Error,

    /// <summary>The receiver is shutting down.</summary>
    Shutdown,
}
