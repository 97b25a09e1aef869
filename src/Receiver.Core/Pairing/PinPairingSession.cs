using System.Security.Cryptography;
using Receiver.Core.Plist;
using M = Receiver.Core.Pairing.PinPairingMessages;

namespace Receiver.Core.Pairing;

/// <summary>
/// The receiver's side of Apple's PIN pairing, <c>POST /pair-setup-pin</c> (docs/PROTOCOL.md §3.3), for one
/// control connection. No sockets and no clock: the connection hands each body over with the PIN currently shown and
/// sends back what <see cref="Handle"/> returns.
/// </summary>
/// <remarks>
/// <para>Step 1 <c>{method: "pin", user}</c> → <c>{pk: B, salt}</c>; step 2 <c>{pk: A, proof: M1}</c> →
/// <c>{proof: M2}</c>; step 3 <c>{epk, authTag}</c> (the sender's Ed25519 public key, AES-GCM) → <c>{epk, authTag}</c>
/// (the receiver's).</para>
/// <para>Sender input never throws. A refused step (wrong PIN, malformed, out of order) resets the session, and a
/// step 1 always starts over.</para>
/// </remarks>
public sealed class PinPairingSession
{
    /// <summary>The content type of the request and reply bodies.</summary>
    public const string ContentType = PinPairingMessages.ContentType;

    /// <summary>Bodies longer than this are <see cref="PinPairingOutcome.Malformed"/> (a connection may refuse them before reading).</summary>
    public const int MaxBodyLength = PinPairingMessages.MaxBodyLength;

    private const byte SenderIvIncrement = 1;
    private const byte ReceiverIvIncrement = 2;

    private readonly PairingIdentity _identity;
    private readonly RandomNumberGenerator _random;
    private readonly SrpGroup _group;
    private State _state;
    private Srp6aServer? _srp;
    private string? _user;
    private byte[] _senderPublicKey = [];

    /// <summary>Creates the session for one connection; <paramref name="random"/> draws the salt and b.</summary>
    public PinPairingSession(PairingIdentity identity, RandomNumberGenerator random)
        : this(identity, random, SrpGroup.Rfc5054Group2048)
    {
    }

    /// <summary>Creates the session with another SRP group (tests that need many cheap exchanges).</summary>
    internal PinPairingSession(PairingIdentity identity, RandomNumberGenerator random, SrpGroup group)
    {
        _identity = identity ?? throw new ArgumentNullException(nameof(identity));
        _random = random ?? throw new ArgumentNullException(nameof(random));
        _group = group ?? throw new ArgumentNullException(nameof(group));
    }

    private enum State
    {
        AwaitingStart,
        AwaitingProof,
        AwaitingKeys,
        Completed,
    }

    /// <summary>The SRP user (the sender's id, e.g. <c>AA:BB:CC:DD:EE:FF</c>) from step 1; null before.</summary>
    public string? User => _user;

    /// <summary>The sender's 32-byte Ed25519 public key; empty until <see cref="IsCompleted"/>.</summary>
    public ReadOnlyMemory<byte> SenderPublicKey => _senderPublicKey;

    /// <summary>True once step 3 was accepted.</summary>
    public bool IsCompleted => _state == State.Completed;

    /// <summary>
    /// PIN pairings one control connection may begin (each step 1 costs the receiver an SRP exponentiation); the
    /// connection is refused and closed past it.
    /// </summary>
    public const int MaxAttemptsPerConnection = 10;

    /// <summary>Whether <paramref name="body"/> reads as a step 1 (<c>method</c>/<c>user</c>), the step that begins a pairing.</summary>
    public static bool IsStart(ReadOnlySpan<byte> body) =>
        M.TryRead(body, out var dict, out _) && (dict.ContainsKey(M.Method) || dict.ContainsKey(M.User));

    /// <summary>
    /// Handles one <c>POST /pair-setup-pin</c> body. <paramref name="pin"/> is the PIN currently shown (4 ASCII digits);
    /// it is only used by step 1 and must not be empty.
    /// </summary>
    public PinPairingReply Handle(ReadOnlySpan<byte> body, string pin)
    {
        ArgumentException.ThrowIfNullOrEmpty(pin);
        if (!M.TryRead(body, out var dict, out var reason))
        {
            return Reset(PinPairingOutcome.Malformed, reason);
        }

        if (dict.ContainsKey(M.Method) || dict.ContainsKey(M.User))
        {
            return Start(dict, pin);
        }

        if (dict.ContainsKey(M.EncryptedKey) || dict.ContainsKey(M.AuthTag))
        {
            return _state == State.AwaitingKeys ? ExchangeKeys(dict) : Reset(PinPairingOutcome.OutOfSequence, $"step 3 (epk, authTag) while {Expected()}");
        }

        if (dict.ContainsKey(M.Proof) || dict.ContainsKey(M.PublicKey))
        {
            return _state == State.AwaitingProof ? CheckProof(dict) : Reset(PinPairingOutcome.OutOfSequence, $"step 2 (pk, proof) while {Expected()}");
        }

        return Reset(PinPairingOutcome.Malformed, "the plist has none of the pair-setup-pin keys (method/user, pk/proof, epk/authTag)");
    }

    /// <summary>An independent copy in the same state (tests that replay one state many times).</summary>
    internal PinPairingSession Fork() => new(_identity, _random, _group)
    {
        _state = _state,
        _srp = _srp?.Copy(),
        _user = _user,
        _senderPublicKey = _senderPublicKey,
    };

    private PinPairingReply Start(PlistDict dict, string pin)
    {
        Clear();
        if (!M.TryGetString(dict, M.Method, 16, out var method, out var reason))
        {
            return Reset(PinPairingOutcome.Malformed, "step 1: " + reason);
        }

        if (method != M.PinMethod)
        {
            return Reset(PinPairingOutcome.Malformed, $"step 1: method is '{method}', not '{M.PinMethod}'");
        }

        if (!M.TryGetString(dict, M.User, M.MaxUserLength, out var user, out reason))
        {
            return Reset(PinPairingOutcome.Malformed, "step 1: " + reason);
        }

        _srp = new Srp6aServer(_group, user, pin, _random);
        _user = user;
        _state = State.AwaitingProof;
        return new PinPairingReply(PinPairingOutcome.Continue, M.Write((M.PublicKey, new PlistData(_srp.PublicKey.Span)), (M.Salt, new PlistData(_srp.Salt.Span))), null);
    }

    private PinPairingReply CheckProof(PlistDict dict)
    {
        var srp = _srp!;
        if (!M.TryGetData(dict, M.PublicKey, 1, srp.Group.ByteLength, out var clientPublic, out var reason)
            || !M.TryGetData(dict, M.Proof, Srp6aServer.ProofLength, Srp6aServer.ProofLength, out var proof, out reason))
        {
            return Reset(PinPairingOutcome.Malformed, "step 2: " + reason);
        }

        byte[]? serverProof;
        try
        {
            if (!srp.TryVerifyClient(clientPublic.Span, proof.Span, out serverProof))
            {
                return Reset(PinPairingOutcome.WrongPin, "step 2: the SRP proof does not match the PIN shown");
            }
        }
        catch (PairingException e)
        {
            return Reset(PinPairingOutcome.Malformed, "step 2: " + e.Message);
        }

        _state = State.AwaitingKeys;
        return new PinPairingReply(PinPairingOutcome.Continue, M.Write((M.Proof, PlistData.TakeOwnership(serverProof))), null);
    }

    private PinPairingReply ExchangeKeys(PlistDict dict)
    {
        if (!M.TryGetData(dict, M.EncryptedKey, PairSetupPinCipher.KeyLength, PairSetupPinCipher.KeyLength, out var encrypted, out var reason)
            || !M.TryGetData(dict, M.AuthTag, PairSetupPinCipher.TagLength, PairSetupPinCipher.TagLength, out var tag, out reason))
        {
            return Reset(PinPairingOutcome.Malformed, "step 3: " + reason);
        }

        var cipher = new PairSetupPinCipher(_srp!.SessionKey.Span);
        var senderKey = cipher.TryDecrypt(encrypted.Span, tag.Span, SenderIvIncrement);
        if (senderKey is null)
        {
            return Reset(PinPairingOutcome.Malformed, "step 3: the authTag does not verify");
        }

        var (ciphertext, replyTag) = cipher.Encrypt(_identity.PublicKeySpan, ReceiverIvIncrement);
        _senderPublicKey = senderKey;
        _state = State.Completed;
        return new PinPairingReply(PinPairingOutcome.Completed, M.Write((M.EncryptedKey, PlistData.TakeOwnership(ciphertext)), (M.AuthTag, PlistData.TakeOwnership(replyTag))), null);
    }

    private string Expected() => _state switch
    {
        State.AwaitingStart => "no pairing was started (step 1 expected)",
        State.AwaitingProof => "step 2 was expected",
        State.AwaitingKeys => "step 3 was expected",
        _ => "the pairing was already completed",
    };

    private PinPairingReply Reset(PinPairingOutcome outcome, string reason)
    {
        Clear();
        return PinPairingReply.Refused(outcome, reason);
    }

    private void Clear()
    {
        _state = State.AwaitingStart;
        _srp = null;
        _user = null;
        _senderPublicKey = [];
    }
}
