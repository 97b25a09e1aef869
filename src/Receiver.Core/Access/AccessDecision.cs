namespace Receiver.Core.Access;

/// <summary>What <see cref="SenderAccessPolicy.CheckDevice(string?, System.Net.IPAddress)"/> decided about a sender.</summary>
public abstract record AccessDecision
{
    private AccessDecision()
    {
    }

    /// <summary>The sender may not mirror: answer 403 (and close).</summary>
    public sealed record Refused(RefusalReason Reason) : AccessDecision;

    /// <summary>The sender may mirror without proof.</summary>
    public sealed record Trusted(TrustSource How) : AccessDecision;

    /// <summary>The sender must prove itself first: pair with the PIN, answer the password challenge, or be approved.</summary>
    public sealed record NeedsProof(AccessMode Mode) : AccessDecision;
}
