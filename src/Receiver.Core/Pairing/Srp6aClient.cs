using System.Numerics;
using System.Security.Cryptography;

namespace Receiver.Core.Pairing;

/// <summary>
/// The sender's (user's) side of SRP-6a with SHA-1 in Apple's pair-setup-pin variant, for the sender simulator and
/// tests: offers A, answers the receiver's salt and B with M1, then checks the receiver's M2.
/// </summary>
public sealed class Srp6aClient
{
    /// <summary>Length of the random private value a.</summary>
    public const int PrivateKeyLength = 32;

    private readonly SrpGroup _group;
    private readonly string _user;
    private readonly string _password;
    private readonly BigInteger _privateKey;
    private readonly BigInteger _publicKey;
    private readonly byte[] _publicKeyBytes;
    private byte[] _clientProof = [];
    private byte[] _expectedServerProof = [];
    private byte[] _sessionKey = [];

    /// <summary>Starts an exchange with a random a drawn from <paramref name="random"/>.</summary>
    public Srp6aClient(SrpGroup group, string user, string password, RandomNumberGenerator random)
        : this(group, user, password, RandomPrivateKey(random))
    {
    }

    /// <summary>Starts an exchange with a given private value a (test vectors).</summary>
    public Srp6aClient(SrpGroup group, string user, string password, ReadOnlySpan<byte> privateKey)
    {
        ArgumentNullException.ThrowIfNull(group);
        ArgumentNullException.ThrowIfNull(user);
        ArgumentException.ThrowIfNullOrEmpty(password);
        _group = group;
        _user = user;
        _password = password;
        _privateKey = Srp6aMath.ToInteger(privateKey);
        if (_privateKey.IsZero)
        {
            throw new ArgumentException("The private value must not be zero.", nameof(privateKey));
        }

        _publicKey = Srp6aMath.ComputePublic(group, _privateKey);
        _publicKeyBytes = Srp6aMath.ToBytes(_publicKey);
    }

    /// <summary>A as minimal big-endian bytes.</summary>
    public ReadOnlyMemory<byte> PublicKey => _publicKeyBytes;

    /// <summary>M1, once <see cref="ProcessChallenge"/> ran.</summary>
    public ReadOnlyMemory<byte> ClientProof => _clientProof;

    /// <summary>Apple's 40-byte session key K, once <see cref="ProcessChallenge"/> ran.</summary>
    public ReadOnlyMemory<byte> SessionKey => _sessionKey;

    /// <summary>
    /// Takes the receiver's salt and B and returns M1. Throws <see cref="PairingException"/> when B is unusable
    /// (empty, longer than N, ≡ 0 mod N) or u is zero.
    /// </summary>
    public byte[] ProcessChallenge(ReadOnlySpan<byte> salt, ReadOnlySpan<byte> serverPublicKey)
    {
        if (serverPublicKey.IsEmpty || serverPublicKey.Length > _group.ByteLength)
        {
            throw new PairingException(PairingFailure.InvalidPublicKey, $"SRP B must be 1 to {_group.ByteLength} bytes, got {serverPublicKey.Length}.");
        }

        var b = Srp6aMath.ToInteger(serverPublicKey);
        if ((b % _group.N).IsZero || b >= _group.N)
        {
            throw new PairingException(PairingFailure.InvalidPublicKey, "SRP B is 0 mod N or not below N.");
        }

        var u = Srp6aMath.ComputeU(_group, _publicKey, b);
        if (u.IsZero)
        {
            throw new PairingException(PairingFailure.InvalidPublicKey, "SRP u is zero.");
        }

        var x = Srp6aMath.ComputeX(salt, _user, _password);
        _sessionKey = Srp6aMath.SessionKey(Srp6aMath.ClientPremaster(_group, b, x, _privateKey, u));
        _clientProof = Srp6aMath.ClientProof(_group, _user, salt, _publicKeyBytes, Srp6aMath.ToBytes(b), _sessionKey);
        _expectedServerProof = Srp6aMath.ServerProof(_publicKeyBytes, _clientProof, _sessionKey);
        return (byte[])_clientProof.Clone();
    }

    /// <summary>True when <paramref name="serverProof"/> is the M2 this exchange expects.</summary>
    public bool VerifyServerProof(ReadOnlySpan<byte> serverProof)
        => _expectedServerProof.Length != 0 && CryptographicOperations.FixedTimeEquals(_expectedServerProof, serverProof);

    private static byte[] RandomPrivateKey(RandomNumberGenerator random)
    {
        ArgumentNullException.ThrowIfNull(random);
        var bytes = new byte[PrivateKeyLength];
        do
        {
            random.GetBytes(bytes);
        }
        while (!bytes.AsSpan().ContainsAnyExcept((byte)0));

        return bytes;
    }
}
