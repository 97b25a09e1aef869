namespace Receiver.Core.Pairing;

/// <summary>What one <c>POST /pair-setup-pin</c> step came to.</summary>
public enum PinPairingOutcome
{
    /// <summary>The step was accepted; answer 200 with the reply body and wait for the next step.</summary>
    Continue,

    /// <summary>Step 3 was accepted: the sender is paired; answer 200 with the reply body.</summary>
    Completed,

    /// <summary>The sender's SRP proof does not match the PIN shown (UxPlay answers 470). The session was reset.</summary>
    WrongPin,

    /// <summary>The body is not a usable step (bad plist, missing or mistyped key, bad length or value). The session was reset.</summary>
    Malformed,

    /// <summary>A well-formed step arrived in the wrong order. The session was reset.</summary>
    OutOfSequence,
}
