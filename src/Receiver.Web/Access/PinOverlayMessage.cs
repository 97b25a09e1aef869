namespace Receiver.Web.Access;

/// <summary>
/// What a screen shows while a sender pairs: the PIN, the sender's name and when the PIN expires
/// (<c>GET /api/access/pin</c> and the PIN feed's <c>pin</c> events). Nothing else about the sender.
/// </summary>
/// <param name="Pin">Four digits.</param>
/// <param name="DeviceName">The sender that asked.</param>
/// <param name="ExpiresAt">When the PIN stops being valid.</param>
public sealed record PinOverlayMessage(string Pin, string DeviceName, DateTimeOffset ExpiresAt);
