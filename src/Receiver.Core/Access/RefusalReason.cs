namespace Receiver.Core.Access;

/// <summary>Why a sender was refused (hub <c>SenderRefused</c> and the log).</summary>
public enum RefusalReason
{
    /// <summary>Its device id is on <c>Receiver:Access:Deny</c>.</summary>
    Denied,

    /// <summary>Its address failed too often and is locked out for a while.</summary>
    LockedOut,

    /// <summary>It paired with a wrong PIN.</summary>
    WrongPin,

    /// <summary>It answered the Digest challenge with a wrong password.</summary>
    WrongPassword,

    /// <summary>The operator denied it (or too many requests were pending).</summary>
    NotApproved,

    /// <summary>Nobody approved it in time.</summary>
    ApprovalTimedOut,

    /// <summary>PIN mode: it set up a session without pairing with the PIN (or proving a key paired before).</summary>
    PairingRequired,

    /// <summary>It claimed a registered device id but proved another Ed25519 key.</summary>
    WrongKey,
}
