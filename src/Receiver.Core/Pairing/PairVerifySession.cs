using System.Security.Cryptography;

namespace Receiver.Core.Pairing;

/// <summary>
/// Receiver side of <c>POST /pair-verify</c> for one connection (docs/PROTOCOL.md §3.2). Phase 1 answers with the
/// receiver's ephemeral X25519 key and its encrypted signature; phase 2 checks the sender's encrypted signature.
/// After phase 1, <see cref="SharedSecret"/> is the ECDH secret that feeds the session key derivation.
/// </summary>
public sealed class PairVerifySession
{
    private readonly PairingIdentity _identity;
    private readonly byte[]? _pinnedEphemeralKey;
    private State _state;
    private byte[] _sharedSecret = [];
    private byte[] _receiverPublic = [];
    private byte[] _senderPublic = [];
    private byte[] _senderEd25519 = [];

    /// <summary>Creates a session that uses a fresh random ephemeral X25519 key.</summary>
    public PairVerifySession(PairingIdentity identity)
    {
        _identity = identity ?? throw new ArgumentNullException(nameof(identity));
    }

    /// <summary>Creates a session with a given ephemeral X25519 private key (test vectors, simulator).</summary>
    public PairVerifySession(PairingIdentity identity, ReadOnlySpan<byte> ephemeralPrivateKey32)
        : this(identity)
    {
        if (ephemeralPrivateKey32.Length != PairVerifyCrypto.KeyLength)
        {
            throw new ArgumentException("An X25519 private key is 32 bytes.", nameof(ephemeralPrivateKey32));
        }

        _pinnedEphemeralKey = ephemeralPrivateKey32.ToArray();
    }

    private enum State
    {
        Initial,
        AwaitingPhase2,
        Verified,
        Failed,
    }

    /// <summary>True once phase 2 verified the sender's signature.</summary>
    public bool IsVerified => _state == State.Verified;

    /// <summary>True once phase 1 produced a shared secret (whether or not phase 2 followed).</summary>
    public bool HasSharedSecret => _sharedSecret.Length != 0;

    /// <summary>The 32-byte X25519 shared secret S; empty before phase 1.</summary>
    public ReadOnlyMemory<byte> SharedSecret => _sharedSecret;

    /// <summary>The sender's long-term Ed25519 public key from phase 1; empty before phase 1.</summary>
    public ReadOnlyMemory<byte> SenderPublicKey => _senderEd25519;

    /// <summary>
    /// Handles the 68-byte phase-1 body <c>01 00 00 00 | sender X25519 public | sender Ed25519 public</c> and
    /// returns the 96-byte reply <c>receiver X25519 public | AES-CTR(signature)</c>.
    /// </summary>
    public byte[] ProcessPhase1(ReadOnlySpan<byte> body68)
    {
        if (_state != State.Initial)
        {
            throw new PairingException(PairingFailure.UnexpectedPhase, "pair-verify phase 1 was already processed on this connection.");
        }

        CheckBody(body68, 1);
        _senderPublic = body68.Slice(4, PairVerifyCrypto.KeyLength).ToArray();
        _senderEd25519 = body68.Slice(36, PairVerifyCrypto.KeyLength).ToArray();

        var privateKey = _pinnedEphemeralKey ?? PairVerifyCrypto.CreateEphemeralPrivateKey();
        try
        {
            (_receiverPublic, _sharedSecret) = PairVerifyCrypto.Agree(privateKey, _senderPublic);
        }
        catch (PairingException)
        {
            _state = State.Failed;
            throw;
        }
        finally
        {
            if (_pinnedEphemeralKey is null)
            {
                CryptographicOperations.ZeroMemory(privateKey);
            }
        }

        var signature = _identity.Sign(PairVerifyCrypto.Concat(_receiverPublic, _senderPublic));
        var reply = new byte[PairVerifyCrypto.Phase1ReplyLength];
        _receiverPublic.CopyTo(reply, 0);
        using (var cipher = PairVerifyCrypto.CreateCipher(_sharedSecret))
        {
            cipher.Transform(signature, reply.AsSpan(PairVerifyCrypto.KeyLength));
        }

        _state = State.AwaitingPhase2;
        return reply;
    }

    /// <summary>
    /// Handles the 68-byte phase-2 body <c>00 00 00 00 | AES-CTR(sender signature)</c>, decrypted with keystream
    /// bytes 64..127. Throws <see cref="PairingException"/> when the signature over
    /// <c>sender X25519 public | receiver X25519 public</c> does not verify with the sender's Ed25519 key.
    /// </summary>
    public void ProcessPhase2(ReadOnlySpan<byte> body68)
    {
        if (_state != State.AwaitingPhase2)
        {
            throw new PairingException(PairingFailure.UnexpectedPhase, "pair-verify phase 2 without a preceding phase 1.");
        }

        try
        {
            CheckBody(body68, 0);
        }
        catch (PairingException)
        {
            _state = State.Failed;
            throw;
        }

        Span<byte> signature = stackalloc byte[PairVerifyCrypto.SignatureLength];
        using (var cipher = PairVerifyCrypto.CreateCipher(_sharedSecret))
        {
            cipher.Skip(PairVerifyCrypto.SignatureLength);
            cipher.Transform(body68[4..], signature);
        }

        if (!PairingIdentity.Verify(_senderEd25519, PairVerifyCrypto.Concat(_senderPublic, _receiverPublic), signature))
        {
            _state = State.Failed;
            throw new PairingException(PairingFailure.SignatureInvalid, "The sender's pair-verify signature does not verify.");
        }

        _state = State.Verified;
    }

    private static void CheckBody(ReadOnlySpan<byte> body, byte phase)
    {
        if (body.Length != PairVerifyCrypto.MessageLength)
        {
            throw new PairingException(PairingFailure.MalformedMessage, $"pair-verify body must be {PairVerifyCrypto.MessageLength} bytes, got {body.Length}.");
        }

        if (body[0] != phase)
        {
            throw new PairingException(PairingFailure.MalformedMessage, $"pair-verify phase byte is {body[0]}, expected {phase}.");
        }
    }
}
