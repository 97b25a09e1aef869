using System.Numerics;
using System.Security.Cryptography;
using System.Text;

namespace Receiver.Core.Pairing;

/// <summary>
/// The formulas of SRP-6a with SHA-1 in the variant Apple's pair-setup-pin uses (docs/PROTOCOL.md §3.3).
/// Numbers are unsigned big-endian: minimal length unless PAD() widens them to the length of N.
/// </summary>
internal static class Srp6aMath
{
    /// <summary>The length of a SHA-1 digest, and so of both proofs.</summary>
    public const int HashLength = 20;

    /// <summary>The length of Apple's session key K: two SHA-1 digests.</summary>
    public const int SessionKeyLength = 2 * HashLength;

    public static BigInteger ToInteger(ReadOnlySpan<byte> bigEndian) => new(bigEndian, isUnsigned: true, isBigEndian: true);

    /// <summary>Minimal unsigned big-endian bytes (zero is one 0x00 byte).</summary>
    public static byte[] ToBytes(BigInteger value) => value.ToByteArray(isUnsigned: true, isBigEndian: true);

    /// <summary>Left-pads <paramref name="value"/> with zeros to the length of N.</summary>
    public static byte[] Pad(SrpGroup group, BigInteger value)
    {
        var padded = new byte[group.ByteLength];
        if (!value.TryWriteBytes(padded.AsSpan(group.ByteLength - value.GetByteCount(isUnsigned: true)), out _, isUnsigned: true, isBigEndian: true))
        {
            throw new ArgumentOutOfRangeException(nameof(value), "The value is longer than N.");
        }

        return padded;
    }

    public static byte[] Hash(params ReadOnlySpan<byte[]> parts)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA1);
        foreach (var part in parts)
        {
            hash.AppendData(part);
        }

        return hash.GetHashAndReset();
    }

    /// <summary>k = H(N | PAD(g)).</summary>
    public static BigInteger ComputeMultiplier(SrpGroup group) => ToInteger(Hash(group.PrimeBytes.ToArray(), Pad(group, group.G)));

    /// <summary>x = H(s | H(I ":" P)), the salt taken as the bytes sent.</summary>
    public static BigInteger ComputeX(ReadOnlySpan<byte> salt, string user, string password)
    {
        var inner = SHA1.HashData(Encoding.UTF8.GetBytes(user + ":" + password));
        return ToInteger(Hash(salt.ToArray(), inner));
    }

    /// <summary>v = g^x mod N.</summary>
    public static BigInteger ComputeVerifier(SrpGroup group, BigInteger x) => BigInteger.ModPow(group.G, x, group.N);

    /// <summary>A = g^a mod N (or B's g^b term).</summary>
    public static BigInteger ComputePublic(SrpGroup group, BigInteger secret) => BigInteger.ModPow(group.G, secret, group.N);

    /// <summary>B = (k·v + g^b) mod N.</summary>
    public static BigInteger ComputeServerPublic(SrpGroup group, BigInteger verifier, BigInteger b)
        => ((group.Multiplier * verifier) + ComputePublic(group, b)) % group.N;

    /// <summary>u = H(PAD(A) | PAD(B)).</summary>
    public static BigInteger ComputeU(SrpGroup group, BigInteger a, BigInteger b) => ToInteger(Hash(Pad(group, a), Pad(group, b)));

    /// <summary>The server's premaster secret S = (A · v^u)^b mod N.</summary>
    public static BigInteger ServerPremaster(SrpGroup group, BigInteger clientPublic, BigInteger verifier, BigInteger u, BigInteger b)
        => BigInteger.ModPow(clientPublic * BigInteger.ModPow(verifier, u, group.N) % group.N, b, group.N);

    /// <summary>The client's premaster secret S = (B − k·g^x)^(a + u·x) mod N.</summary>
    public static BigInteger ClientPremaster(SrpGroup group, BigInteger serverPublic, BigInteger x, BigInteger a, BigInteger u)
    {
        var kv = group.Multiplier * ComputeVerifier(group, x) % group.N;
        var baseValue = (serverPublic - kv) % group.N;
        if (baseValue.Sign < 0)
        {
            baseValue += group.N;
        }

        return BigInteger.ModPow(baseValue, a + (u * x), group.N);
    }

    /// <summary>Apple's 40-byte K = SHA1(S | 00000000) | SHA1(S | 00000001), S minimal big-endian.</summary>
    public static byte[] SessionKey(BigInteger premaster) => SessionKey(ToBytes(premaster));

    /// <summary>K from S given as bytes (minimal, or padded by a sender that pads everything).</summary>
    public static byte[] SessionKey(byte[] s)
    {
        var key = new byte[SessionKeyLength];
        Hash(s, [0, 0, 0, 0]).CopyTo(key, 0);
        Hash(s, [0, 0, 0, 1]).CopyTo(key, HashLength);
        return key;
    }

    /// <summary>M1 = H((H(N) xor H(g)) | H(I) | s | A | B | K); A and B are given as the bytes to hash.</summary>
    public static byte[] ClientProof(SrpGroup group, string user, ReadOnlySpan<byte> salt, byte[] clientPublic, byte[] serverPublic, byte[] sessionKey)
    {
        var hashN = SHA1.HashData(group.PrimeBytes);
        var hashG = SHA1.HashData(ToBytes(group.G));
        for (var i = 0; i < hashN.Length; i++)
        {
            hashN[i] ^= hashG[i];
        }

        return Hash(hashN, SHA1.HashData(Encoding.UTF8.GetBytes(user)), salt.ToArray(), clientPublic, serverPublic, sessionKey);
    }

    /// <summary>M2 = H(A | M1 | K).</summary>
    public static byte[] ServerProof(byte[] clientPublic, byte[] clientProof, byte[] sessionKey) => Hash(clientPublic, clientProof, sessionKey);
}
