using System.Security.Cryptography;
using NSec.Cryptography;

namespace Receiver.Core.Pairing;

/// <summary>
/// A long-term Ed25519 key pair. The receiver's public key is published in the TXT <c>pk</c> record, in
/// <c>/info</c> and in the <c>/pair-setup</c> reply, and signs pair-verify messages (docs/PROTOCOL.md §3).
/// </summary>
public sealed class PairingIdentity : IDisposable
{
    /// <summary>Length of the private seed and of the public key.</summary>
    public const int KeyLength = 32;

    /// <summary>Name of the file that holds the 32-byte seed inside the data directory.</summary>
    public const string FileName = "identity.key";

    private static readonly SignatureAlgorithm Algorithm = SignatureAlgorithm.Ed25519;

    private readonly Key _key;
    private readonly byte[] _publicKey;

    private PairingIdentity(Key key)
    {
        _key = key;
        _publicKey = key.PublicKey.Export(KeyBlobFormat.RawPublicKey);
    }

    /// <summary>The raw 32-byte Ed25519 public key (a copy).</summary>
    public byte[] PublicKey => (byte[])_publicKey.Clone();

    /// <summary>The raw 32-byte Ed25519 public key without copying.</summary>
    public ReadOnlySpan<byte> PublicKeySpan => _publicKey;

    /// <summary>Creates an identity from a 32-byte Ed25519 seed.</summary>
    public static PairingIdentity FromSeed(ReadOnlySpan<byte> seed32)
    {
        if (seed32.Length != KeyLength)
        {
            throw new ArgumentException("An Ed25519 seed is 32 bytes.", nameof(seed32));
        }

        return new PairingIdentity(Key.Import(Algorithm, seed32, KeyBlobFormat.RawPrivateKey));
    }

    /// <summary>Creates an identity with a fresh random key that is not stored anywhere.</summary>
    public static PairingIdentity CreateRandom()
    {
        Span<byte> seed = stackalloc byte[KeyLength];
        RandomNumberGenerator.Fill(seed);
        try
        {
            return FromSeed(seed);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(seed);
        }
    }

    /// <summary>
    /// Loads the identity from <c>identity.key</c> in <paramref name="dataDirectory"/>, or creates a random one
    /// and stores it there (owner read/write only on Unix). A file with the wrong size is an error, so that a
    /// damaged identity is noticed instead of silently replaced.
    /// </summary>
    public static PairingIdentity LoadOrCreate(string dataDirectory)
    {
        ArgumentException.ThrowIfNullOrEmpty(dataDirectory);
        return LoadOrCreateFile(Path.Combine(dataDirectory, FileName));
    }

    /// <summary>
    /// Loads the identity from the 32-byte seed file <paramref name="path"/>, or creates a random one and stores it
    /// there (owner read/write only on Unix). A file with the wrong size is an error.
    /// </summary>
    public static PairingIdentity LoadOrCreateFile(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var seed = DataFile.ReadOrCreate(path, CreateSeed);
        try
        {
            if (seed.Length != KeyLength)
            {
                throw new InvalidDataException($"{path} must hold exactly {KeyLength} bytes.");
            }

            return FromSeed(seed);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(seed);
        }
    }

    /// <summary>Signs <paramref name="message"/> and returns the 64-byte Ed25519 signature.</summary>
    public byte[] Sign(ReadOnlySpan<byte> message) => Algorithm.Sign(_key, message);

    /// <summary>Checks an Ed25519 signature made by <paramref name="publicKey32"/>.</summary>
    public static bool Verify(ReadOnlySpan<byte> publicKey32, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature)
    {
        if (publicKey32.Length != KeyLength || signature.Length != Algorithm.SignatureSize)
        {
            return false;
        }

        if (!NSec.Cryptography.PublicKey.TryImport(Algorithm, publicKey32, KeyBlobFormat.RawPublicKey, out var publicKey) || publicKey is null)
        {
            return false;
        }

        return Algorithm.Verify(publicKey, message, signature);
    }

    /// <inheritdoc />
    public void Dispose() => _key.Dispose();

    private static byte[] CreateSeed()
    {
        var seed = new byte[KeyLength];
        RandomNumberGenerator.Fill(seed);
        return seed;
    }
}
