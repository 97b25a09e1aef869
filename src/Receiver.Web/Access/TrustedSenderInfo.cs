namespace Receiver.Web.Access;

/// <summary>A trusted sender (<c>GET /api/senders</c>).</summary>
/// <param name="DeviceId">Its device id, <c>AA:BB:CC:DD:EE:FF</c>.</param>
/// <param name="Name">The name it gave.</param>
/// <param name="Model">Its model.</param>
/// <param name="PublicKey">Its Ed25519 pairing key in hex, when it paired.</param>
/// <param name="Method">How it was trusted: pin, approval or allowList.</param>
/// <param name="AddedAt">When it was first trusted.</param>
/// <param name="LastSeenAt">When it last connected.</param>
public sealed record TrustedSenderInfo(string DeviceId, string? Name, string? Model, string? PublicKey, string Method, DateTimeOffset AddedAt, DateTimeOffset LastSeenAt);
