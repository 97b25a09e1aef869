namespace Receiver.Core.Pairing;

/// <summary>
/// The result of one <c>POST /pair-setup-pin</c> step: the outcome, the binary plist to send back (for
/// <see cref="PinPairingOutcome.Continue"/> and <see cref="PinPairingOutcome.Completed"/>), and why a step was
/// refused (for logs; never shown to the sender).
/// </summary>
public readonly record struct PinPairingReply(PinPairingOutcome Outcome, byte[]? Body, string? Reason)
{
    /// <summary>True for <see cref="PinPairingOutcome.Continue"/> and <see cref="PinPairingOutcome.Completed"/>.</summary>
    public bool IsSuccess => Outcome is PinPairingOutcome.Continue or PinPairingOutcome.Completed;

    internal static PinPairingReply Refused(PinPairingOutcome outcome, string reason) => new(outcome, null, reason);
}
