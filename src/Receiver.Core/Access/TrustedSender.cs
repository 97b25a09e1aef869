namespace Receiver.Core.Access;

/// <summary>A sender the receiver trusts without asking again (one entry of the <see cref="SenderRegister"/>).</summary>
/// <param name="DeviceId">The sender's device id, <c>AA:BB:CC:DD:EE:FF</c>.</param>
/// <param name="Name">The name it gave, e.g. "Anna's iPhone".</param>
/// <param name="Model">Its model, e.g. <c>iPhone14,2</c>.</param>
/// <param name="PublicKey">Its Ed25519 pairing key (32 bytes) when it paired; null otherwise.</param>
/// <param name="AddedAt">When it was first trusted.</param>
/// <param name="Method">How it was trusted.</param>
/// <param name="LastSeenAt">When it last connected.</param>
public sealed record TrustedSender(
    string DeviceId,
    string? Name,
    string? Model,
    byte[]? PublicKey,
    DateTimeOffset AddedAt,
    TrustMethod Method,
    DateTimeOffset LastSeenAt);
