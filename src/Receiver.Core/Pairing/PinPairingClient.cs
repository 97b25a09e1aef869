using System.Security.Cryptography;
using Receiver.Core.Plist;
using M = Receiver.Core.Pairing.PinPairingMessages;

namespace Receiver.Core.Pairing;

/// <summary>
/// The sender's side of <c>POST /pair-setup-pin</c> (docs/PROTOCOL.md §3.3), for the sender simulator and
/// tests: builds the three request bodies and checks the receiver's replies. Bad replies throw
/// <see cref="PairingException"/>; a receiver whose M2 does not verify gives <see cref="PairingFailure.SignatureInvalid"/>.
/// </summary>
public sealed class PinPairingClient
{
    private const byte SenderIvIncrement = 1;
    private const byte ReceiverIvIncrement = 2;

    private readonly string _user;
    private readonly PairingIdentity _identity;
    private readonly Srp6aClient _srp;
    private readonly SrpGroup _group;
    private byte[] _receiverPublicKey = [];

    /// <summary>Creates a client for <paramref name="user"/> (the sender id) that pairs with <paramref name="pin"/>.</summary>
    public PinPairingClient(string user, string pin, PairingIdentity identity, RandomNumberGenerator random)
        : this(user, pin, identity, random, SrpGroup.Rfc5054Group2048)
    {
    }

    /// <summary>Creates a client for another SRP group (tests).</summary>
    internal PinPairingClient(string user, string pin, PairingIdentity identity, RandomNumberGenerator random, SrpGroup group)
    {
        ArgumentException.ThrowIfNullOrEmpty(user);
        _user = user;
        _identity = identity ?? throw new ArgumentNullException(nameof(identity));
        _srp = new Srp6aClient(group, user, pin, random);
        _group = group;
    }

    /// <summary>The content type of requests and replies.</summary>
    public static string ContentType => M.ContentType;

    /// <summary>The receiver's 32-byte Ed25519 public key; empty until step 3's reply was accepted.</summary>
    public ReadOnlyMemory<byte> ReceiverPublicKey => _receiverPublicKey;

    /// <summary>Apple's 40-byte SRP session key; empty until step 1's reply was processed.</summary>
    public ReadOnlyMemory<byte> SessionKey => _srp.SessionKey;

    /// <summary>Step 1: <c>{method: "pin", user}</c>.</summary>
    public byte[] CreateStep1Request() => M.Write((M.Method, new PlistString(M.PinMethod)), (M.User, new PlistString(_user)));

    /// <summary>Takes step 1's reply <c>{pk: B, salt}</c> and returns step 2: <c>{pk: A, proof: M1}</c>.</summary>
    public byte[] ProcessStep1Response(ReadOnlySpan<byte> reply)
    {
        var dict = Read(reply, 1);
        var serverPublic = Data(dict, M.PublicKey, 1, _group.ByteLength, 1);
        var salt = Data(dict, M.Salt, 1, 64, 1);
        var proof = _srp.ProcessChallenge(salt.Span, serverPublic.Span);
        return M.Write((M.PublicKey, new PlistData(_srp.PublicKey.Span)), (M.Proof, PlistData.TakeOwnership(proof)));
    }

    /// <summary>Checks step 2's reply <c>{proof: M2}</c> and returns step 3: <c>{epk, authTag}</c> (this sender's key).</summary>
    public byte[] ProcessStep2Response(ReadOnlySpan<byte> reply)
    {
        var dict = Read(reply, 2);
        var proof = Data(dict, M.Proof, Srp6aServer.ProofLength, Srp6aServer.ProofLength, 2);
        if (!_srp.VerifyServerProof(proof.Span))
        {
            throw new PairingException(PairingFailure.SignatureInvalid, "The receiver's SRP proof M2 does not verify.");
        }

        var (ciphertext, tag) = new PairSetupPinCipher(_srp.SessionKey.Span).Encrypt(_identity.PublicKeySpan, SenderIvIncrement);
        return M.Write((M.EncryptedKey, PlistData.TakeOwnership(ciphertext)), (M.AuthTag, PlistData.TakeOwnership(tag)));
    }

    /// <summary>Checks step 3's reply <c>{epk, authTag}</c> and returns the receiver's Ed25519 public key.</summary>
    public byte[] ProcessStep3Response(ReadOnlySpan<byte> reply)
    {
        var dict = Read(reply, 3);
        var encrypted = Data(dict, M.EncryptedKey, PairSetupPinCipher.KeyLength, PairSetupPinCipher.KeyLength, 3);
        var tag = Data(dict, M.AuthTag, PairSetupPinCipher.TagLength, PairSetupPinCipher.TagLength, 3);
        var key = new PairSetupPinCipher(_srp.SessionKey.Span).TryDecrypt(encrypted.Span, tag.Span, ReceiverIvIncrement)
            ?? throw new PairingException(PairingFailure.SignatureInvalid, "The receiver's step-3 authTag does not verify.");
        _receiverPublicKey = key;
        return (byte[])key.Clone();
    }

    private static PlistDict Read(ReadOnlySpan<byte> reply, int step)
        => M.TryRead(reply, out var dict, out var reason) ? dict : throw new PairingException(PairingFailure.MalformedMessage, $"pair-setup-pin step {step} reply: {reason}.");

    private static ReadOnlyMemory<byte> Data(PlistDict dict, string key, int min, int max, int step)
        => M.TryGetData(dict, key, min, max, out var value, out var reason) ? value : throw new PairingException(PairingFailure.MalformedMessage, $"pair-setup-pin step {step} reply: {reason}.");
}
