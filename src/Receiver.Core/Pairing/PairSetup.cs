namespace Receiver.Core.Pairing;

/// <summary>Legacy <c>POST /pair-setup</c> (docs/PROTOCOL.md §3.1).</summary>
public static class PairSetup
{
    /// <summary>Length of the request body (the sender's Ed25519 public key) and of the reply.</summary>
    public const int BodyLength = 32;

    /// <summary>
    /// Checks the 32-byte request and returns the receiver's Ed25519 public key as the reply body. The sender's
    /// key in the request is not used: it is authenticated later by pair-verify.
    /// </summary>
    public static byte[] HandlePairSetup(ReadOnlySpan<byte> body, PairingIdentity identity)
    {
        ArgumentNullException.ThrowIfNull(identity);
        if (body.Length != BodyLength)
        {
            throw new PairingException(PairingFailure.MalformedMessage, $"pair-setup body must be {BodyLength} bytes, got {body.Length}.");
        }

        return identity.PublicKey;
    }
}
