using System.Security.Cryptography;

namespace Receiver.Core.Pairing;

/// <summary>
/// Sender side of pair-verify, used by the sender simulator: builds the phase-1 body, checks the receiver's
/// reply against the public key the receiver returned from pair-setup, and builds the phase-2 body.
/// </summary>
public sealed class PairVerifyClient
{
    private readonly PairingIdentity _senderIdentity;
    private readonly byte[] _receiverEd25519;
    private readonly byte[] _ephemeralPrivate;
    private readonly byte[] _ephemeralPublic;
    private byte[] _sharedSecret = [];

    /// <summary>Creates a client with a random ephemeral X25519 key.</summary>
    public PairVerifyClient(PairingIdentity senderIdentity, ReadOnlySpan<byte> receiverPublicKey32)
        : this(senderIdentity, receiverPublicKey32, PairVerifyCrypto.CreateEphemeralPrivateKey())
    {
    }

    /// <summary>Creates a client with a given ephemeral X25519 private key (test vectors).</summary>
    public PairVerifyClient(PairingIdentity senderIdentity, ReadOnlySpan<byte> receiverPublicKey32, ReadOnlySpan<byte> ephemeralPrivateKey32)
    {
        _senderIdentity = senderIdentity ?? throw new ArgumentNullException(nameof(senderIdentity));
        if (receiverPublicKey32.Length != PairVerifyCrypto.KeyLength)
        {
            throw new ArgumentException("The receiver's Ed25519 public key is 32 bytes.", nameof(receiverPublicKey32));
        }

        if (ephemeralPrivateKey32.Length != PairVerifyCrypto.KeyLength)
        {
            throw new ArgumentException("An X25519 private key is 32 bytes.", nameof(ephemeralPrivateKey32));
        }

        _receiverEd25519 = receiverPublicKey32.ToArray();
        _ephemeralPrivate = ephemeralPrivateKey32.ToArray();
        using var key = NSec.Cryptography.Key.Import(NSec.Cryptography.KeyAgreementAlgorithm.X25519, _ephemeralPrivate, NSec.Cryptography.KeyBlobFormat.RawPrivateKey);
        _ephemeralPublic = key.PublicKey.Export(NSec.Cryptography.KeyBlobFormat.RawPublicKey);
    }

    /// <summary>The 32-byte X25519 shared secret; empty until the phase-1 reply was accepted.</summary>
    public ReadOnlyMemory<byte> SharedSecret => _sharedSecret;

    /// <summary>Builds the 68-byte phase-1 body: <c>01 00 00 00 | X25519 public | Ed25519 public</c>.</summary>
    public byte[] CreatePhase1Request()
    {
        var body = new byte[PairVerifyCrypto.MessageLength];
        body[0] = 1;
        _ephemeralPublic.CopyTo(body, 4);
        _senderIdentity.PublicKeySpan.CopyTo(body.AsSpan(36));
        return body;
    }

    /// <summary>
    /// Checks the receiver's 96-byte phase-1 reply and returns the 68-byte phase-2 body. Throws
    /// <see cref="PairingException"/> when the receiver's signature does not verify.
    /// </summary>
    public byte[] ProcessPhase1Response(ReadOnlySpan<byte> reply96)
    {
        if (reply96.Length != PairVerifyCrypto.Phase1ReplyLength)
        {
            throw new PairingException(PairingFailure.MalformedMessage, $"pair-verify reply must be {PairVerifyCrypto.Phase1ReplyLength} bytes, got {reply96.Length}.");
        }

        var receiverPublic = reply96[..PairVerifyCrypto.KeyLength];
        var (_, secret) = PairVerifyCrypto.Agree(_ephemeralPrivate, receiverPublic);
        Span<byte> receiverSignature = stackalloc byte[PairVerifyCrypto.SignatureLength];
        var body = new byte[PairVerifyCrypto.MessageLength];
        using (var cipher = PairVerifyCrypto.CreateCipher(secret))
        {
            cipher.Transform(reply96[PairVerifyCrypto.KeyLength..], receiverSignature);
            if (!PairingIdentity.Verify(_receiverEd25519, PairVerifyCrypto.Concat(receiverPublic, _ephemeralPublic), receiverSignature))
            {
                CryptographicOperations.ZeroMemory(secret);
                throw new PairingException(PairingFailure.SignatureInvalid, "The receiver's pair-verify signature does not verify.");
            }

            var signature = _senderIdentity.Sign(PairVerifyCrypto.Concat(_ephemeralPublic, receiverPublic));
            cipher.Transform(signature, body.AsSpan(4));
        }

        _sharedSecret = secret;
        return body;
    }
}
