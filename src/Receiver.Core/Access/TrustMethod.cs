namespace Receiver.Core.Access;

/// <summary>How a sender came to be trusted.</summary>
public enum TrustMethod
{
    /// <summary>It paired with the PIN shown on the screen (or answered the password).</summary>
    Pin,

    /// <summary>An operator allowed it.</summary>
    Approval,

    /// <summary>It is on <c>Receiver:Access:Allow</c>.</summary>
    AllowList,
}
