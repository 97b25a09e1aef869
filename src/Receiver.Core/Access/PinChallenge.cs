using System.Net;

namespace Receiver.Core.Access;

/// <summary>The PIN shown on the receiver's screen for one sender to type in.</summary>
/// <param name="Pin">Four digits, <c>0000</c>–<c>9999</c>. Never logged.</param>
/// <param name="DeviceName">The name of the sender that asked, for the overlay ("Enter 4821 on Anna's iPhone").</param>
/// <param name="ExpiresAt">When the PIN stops being valid.</param>
public sealed record PinChallenge(string Pin, string DeviceName, DateTimeOffset ExpiresAt)
{
    /// <summary>The sender's address and port (the control connection that asked).</summary>
    public IPEndPoint? Remote { get; init; }

    /// <summary>Without the PIN, so that a challenge written to a log gives nothing away.</summary>
    public override string ToString() => $"PinChallenge {{ DeviceName = {DeviceName}, ExpiresAt = {ExpiresAt:O}, Remote = {Remote} }}";
}
