namespace Receiver.Core.Access;

/// <summary>Who may mirror (<c>Receiver:Access:Mode</c>).</summary>
public enum AccessMode
{
    /// <summary>An unknown sender pairs with a 4-digit PIN shown on the receiver's screen (features bit 27).</summary>
    Pin,

    /// <summary>An unknown sender answers an RFC 2617 Digest challenge with the configured password.</summary>
    Password,

    /// <summary>An operator allows or denies each unknown sender from the dashboard.</summary>
    Approve,

    /// <summary>Every sender not on the deny list may mirror.</summary>
    Open,
}
