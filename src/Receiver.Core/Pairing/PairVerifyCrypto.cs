using System.Security.Cryptography;
using NSec.Cryptography;
using Receiver.Core.Crypto;

namespace Receiver.Core.Pairing;

/// <summary>Primitives shared by both sides of pair-verify (docs/PROTOCOL.md §3.2).</summary>
internal static class PairVerifyCrypto
{
    public const int MessageLength = 68;
    public const int Phase1ReplyLength = 96;
    public const int KeyLength = 32;
    public const int SignatureLength = 64;

    private static readonly KeyAgreementAlgorithm X25519 = KeyAgreementAlgorithm.X25519;

    private static ReadOnlySpan<byte> AesKeyLabel => "Pair-Verify-AES-Key"u8;

    private static ReadOnlySpan<byte> AesIvLabel => "Pair-Verify-AES-IV"u8;

    /// <summary>Creates a random X25519 private key (32 bytes).</summary>
    public static byte[] CreateEphemeralPrivateKey()
    {
        using var key = Key.Create(X25519, new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport });
        return key.Export(KeyBlobFormat.RawPrivateKey);
    }

    /// <summary>Computes the X25519 public key and the raw shared secret with the peer's public key.</summary>
    public static (byte[] PublicKey, byte[] SharedSecret) Agree(ReadOnlySpan<byte> privateKey32, ReadOnlySpan<byte> peerPublicKey32)
    {
        using var key = Key.Import(X25519, privateKey32, KeyBlobFormat.RawPrivateKey);
        var publicKey = key.PublicKey.Export(KeyBlobFormat.RawPublicKey);
        if (!PublicKey.TryImport(X25519, peerPublicKey32, KeyBlobFormat.RawPublicKey, out var peer) || peer is null)
        {
            throw new PairingException(PairingFailure.InvalidPublicKey, "The peer's X25519 public key is not valid.");
        }

        try
        {
            using var secret = X25519.Agree(key, peer, new SharedSecretCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport });
            if (secret is null)
            {
                throw new PairingException(PairingFailure.InvalidPublicKey, "The peer's X25519 public key gives no shared secret.");
            }

            return (publicKey, secret.Export(SharedSecretBlobFormat.RawSharedSecret));
        }
        catch (CryptographicException ex)
        {
            throw new PairingException(PairingFailure.InvalidPublicKey, "The peer's X25519 public key gives no shared secret.", ex);
        }
    }

    /// <summary>Creates the AES-CTR stream that protects both signatures, positioned at keystream byte 0.</summary>
    public static AesCtr CreateCipher(ReadOnlySpan<byte> sharedSecret)
    {
        var key = SessionKeys.HashLabel(AesKeyLabel, sharedSecret);
        var iv = SessionKeys.HashLabel(AesIvLabel, sharedSecret);
        try
        {
            return new AesCtr(key, iv);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }

    /// <summary>Returns <paramref name="first"/> followed by <paramref name="second"/>.</summary>
    public static byte[] Concat(ReadOnlySpan<byte> first, ReadOnlySpan<byte> second)
    {
        var result = new byte[first.Length + second.Length];
        first.CopyTo(result);
        second.CopyTo(result.AsSpan(first.Length));
        return result;
    }
}
