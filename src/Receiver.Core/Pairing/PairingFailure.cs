namespace Receiver.Core.Pairing;

/// <summary>Why a pairing message was refused.</summary>
public enum PairingFailure
{
    /// <summary>The body has the wrong length or the wrong phase byte.</summary>
    MalformedMessage,

    /// <summary>The message arrived in a state where it is not allowed (e.g. phase 2 before phase 1).</summary>
    UnexpectedPhase,

    /// <summary>A public key was rejected (e.g. an X25519 point that gives no usable shared secret).</summary>
    InvalidPublicKey,

    /// <summary>The peer's Ed25519 signature does not verify.</summary>
    SignatureInvalid,
}
