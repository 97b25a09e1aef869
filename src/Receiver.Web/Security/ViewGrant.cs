namespace Receiver.Web.Security;

/// <summary>What a valid viewing token allows: one session (or <see cref="ReceiverPolicies.AnySession"/>) until <paramref name="ExpiresAt"/>.</summary>
public sealed record ViewGrant(string SessionId, DateTimeOffset ExpiresAt)
{
    public bool IsReceiverWide => SessionId == ReceiverPolicies.AnySession;
}
