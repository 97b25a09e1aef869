namespace Receiver.Core.Access;

/// <summary>How an <see cref="ApprovalRequest"/> ended.</summary>
public enum ApprovalDecision
{
    /// <summary>The operator allowed the sender.</summary>
    Allowed,

    /// <summary>The operator denied it, or too many requests were pending.</summary>
    Denied,

    /// <summary>Nobody answered in time.</summary>
    TimedOut,

    /// <summary>The sender went away (every wait for it was cancelled) before anyone answered.</summary>
    Withdrawn,
}
