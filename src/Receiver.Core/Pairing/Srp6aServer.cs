using System.Diagnostics.CodeAnalysis;
using System.Numerics;
using System.Security.Cryptography;

namespace Receiver.Core.Pairing;

/// <summary>
/// The receiver's (verifier's) side of SRP-6a with SHA-1 in Apple's pair-setup-pin variant
/// (docs/PROTOCOL.md §3.3): one instance per pairing attempt. It derives the verifier from the PIN, offers
/// the salt and B, then checks the sender's A and proof M1 once and answers with M2.
/// </summary>
/// <remarks>
/// Values are handled as numbers, never as fixed-width byte strings, so a salt, b, B or A that happens to start with
/// a zero byte pairs like any other. A is accepted at its minimal length or left-padded to the length of N.
/// </remarks>
public sealed class Srp6aServer
{
    /// <summary>Length of the random salt sent in step 1.</summary>
    public const int SaltLength = 16;

    /// <summary>Length of the random private value b.</summary>
    public const int PrivateKeyLength = 32;

    /// <summary>Length of M1 and M2 (a SHA-1 digest).</summary>
    public const int ProofLength = Srp6aMath.HashLength;

    private readonly SrpGroup _group;
    private readonly string _user;
    private readonly byte[] _salt;
    private readonly BigInteger _verifier;
    private readonly BigInteger _privateKey;
    private readonly BigInteger _publicKey;
    private readonly byte[] _publicKeyBytes;
    private byte[] _sessionKey = [];
    private bool _proofChecked;

    /// <summary>Starts an exchange with a random salt and a random b drawn from <paramref name="random"/>.</summary>
    public Srp6aServer(SrpGroup group, string user, string password, RandomNumberGenerator random)
        : this(group, user, password, RandomBytes(random, SaltLength), RandomPrivateKey(random))
    {
        // B goes out as bytes: a B one byte short (1 in 256) would make the sender choose between its minimal and
        // its padded form. Drawing another b keeps B at the full length of N, where both forms are the same.
        while (_publicKeyBytes.Length < group.ByteLength)
        {
            _privateKey = Srp6aMath.ToInteger(RandomPrivateKey(random));
            _publicKey = Srp6aMath.ComputeServerPublic(group, _verifier, _privateKey);
            _publicKeyBytes = Srp6aMath.ToBytes(_publicKey);
        }
    }

    /// <summary>Starts an exchange with a given salt and private value b (test vectors).</summary>
    public Srp6aServer(SrpGroup group, string user, string password, ReadOnlySpan<byte> salt, ReadOnlySpan<byte> privateKey)
    {
        ArgumentNullException.ThrowIfNull(group);
        ArgumentNullException.ThrowIfNull(user);
        ArgumentException.ThrowIfNullOrEmpty(password);
        if (salt.IsEmpty || privateKey.IsEmpty)
        {
            throw new ArgumentException("The salt and the private value must not be empty.", nameof(salt));
        }

        _group = group;
        _user = user;
        _salt = salt.ToArray();
        _privateKey = Srp6aMath.ToInteger(privateKey);
        if (_privateKey.IsZero)
        {
            throw new ArgumentException("The private value must not be zero.", nameof(privateKey));
        }

        _verifier = Srp6aMath.ComputeVerifier(group, Srp6aMath.ComputeX(_salt, user, password));
        _publicKey = Srp6aMath.ComputeServerPublic(group, _verifier, _privateKey);
        _publicKeyBytes = Srp6aMath.ToBytes(_publicKey);
    }

    private Srp6aServer(Srp6aServer other)
    {
        _group = other._group;
        _user = other._user;
        _salt = other._salt;
        _verifier = other._verifier;
        _privateKey = other._privateKey;
        _publicKey = other._publicKey;
        _publicKeyBytes = other._publicKeyBytes;
        _sessionKey = other._sessionKey;
        _proofChecked = other._proofChecked;
    }

    /// <summary>The SRP group.</summary>
    public SrpGroup Group => _group;

    /// <summary>The user name I (the sender's id).</summary>
    public string User => _user;

    /// <summary>The salt s, as sent to the client.</summary>
    public ReadOnlyMemory<byte> Salt => _salt;

    /// <summary>B as minimal big-endian bytes, as sent to the client.</summary>
    public ReadOnlyMemory<byte> PublicKey => _publicKeyBytes;

    /// <summary>True once the client's proof was checked and matched.</summary>
    public bool IsVerified => _sessionKey.Length != 0;

    /// <summary>Apple's 40-byte session key K; empty until the client's proof matched.</summary>
    public ReadOnlyMemory<byte> SessionKey => _sessionKey;

    /// <summary>
    /// Checks the client's public value A and proof M1 (once per exchange). Returns true with M2 when the proof matches;
    /// false when it does not (a wrong password). Throws <see cref="PairingException"/> for an unusable A (empty, longer
    /// than N, or ≡ 0 mod N), a proof that is not 20 bytes, or a second call.
    /// </summary>
    public bool TryVerifyClient(ReadOnlySpan<byte> clientPublicKey, ReadOnlySpan<byte> clientProof, [NotNullWhen(true)] out byte[]? serverProof)
    {
        serverProof = null;
        if (_proofChecked)
        {
            throw new PairingException(PairingFailure.UnexpectedPhase, "The SRP client proof was already checked in this exchange.");
        }

        _proofChecked = true;
        if (clientPublicKey.IsEmpty || clientPublicKey.Length > _group.ByteLength)
        {
            throw new PairingException(PairingFailure.InvalidPublicKey, $"SRP A must be 1 to {_group.ByteLength} bytes, got {clientPublicKey.Length}.");
        }

        if (clientProof.Length != ProofLength)
        {
            throw new PairingException(PairingFailure.MalformedMessage, $"SRP proof must be {ProofLength} bytes, got {clientProof.Length}.");
        }

        var a = Srp6aMath.ToInteger(clientPublicKey);
        if ((a % _group.N).IsZero)
        {
            throw new PairingException(PairingFailure.InvalidPublicKey, "SRP A is 0 mod N.");
        }

        if (a >= _group.N)
        {
            throw new PairingException(PairingFailure.InvalidPublicKey, "SRP A is not below N.");
        }

        var u = Srp6aMath.ComputeU(_group, a, _publicKey);
        var premaster = Srp6aMath.ServerPremaster(_group, a, _verifier, u, _privateKey);

        // Apple's K hashes S and M1 hashes A as minimal big-endian numbers. Where a value is short (1 in 256), a sender
        // may have used its padded form (S) or the bytes it sent (A): those forms are tried too, each in constant time.
        List<byte[]> keys = [Srp6aMath.SessionKey(premaster)];
        if (premaster.GetByteCount(isUnsigned: true) < _group.ByteLength)
        {
            keys.Add(Srp6aMath.SessionKey(Srp6aMath.Pad(_group, premaster)));
        }

        List<byte[]> clientForms = [Srp6aMath.ToBytes(a)];
        if (clientPublicKey.Length != clientForms[0].Length)
        {
            clientForms.Add(clientPublicKey.ToArray());
        }

        var proof = clientProof.ToArray();
        byte[]? key = null;
        byte[]? matched = null;
        foreach (var candidateKey in keys)
        {
            foreach (var form in clientForms)
            {
                if (key is null && Matches(form, candidateKey, proof))
                {
                    (key, matched) = (candidateKey, form);
                }
            }
        }

        foreach (var candidateKey in keys)
        {
            if (!ReferenceEquals(candidateKey, key))
            {
                CryptographicOperations.ZeroMemory(candidateKey);
            }
        }

        if (key is null || matched is null)
        {
            return false;
        }

        _sessionKey = key;
        serverProof = Srp6aMath.ServerProof(matched, proof, key);
        return true;
    }

    /// <summary>An independent copy in the same state (tests that replay one state many times).</summary>
    internal Srp6aServer Copy() => new(this);

    private bool Matches(byte[] clientPublic, byte[] key, byte[] proof)
        => CryptographicOperations.FixedTimeEquals(Srp6aMath.ClientProof(_group, _user, _salt, clientPublic, _publicKeyBytes, key), proof);

    private static byte[] RandomBytes(RandomNumberGenerator random, int length)
    {
        ArgumentNullException.ThrowIfNull(random);
        var bytes = new byte[length];
        random.GetBytes(bytes);
        return bytes;
    }

    private static byte[] RandomPrivateKey(RandomNumberGenerator random)
    {
        while (true)
        {
            var bytes = RandomBytes(random, PrivateKeyLength);
            if (bytes.AsSpan().ContainsAnyExcept((byte)0))
            {
                return bytes;
            }
        }
    }
}
