using System.Globalization;
using System.Security.Cryptography;

namespace Receiver.Core.Crypto;

/// <summary>
/// Key derivation of a mirroring session (docs/PROTOCOL.md §6).
/// </summary>
public static class SessionKeys
{
    /// <summary>Length of the FairPlay key, the session key and the derived stream keys.</summary>
    public const int KeyLength = 16;

    /// <summary>Length of the X25519 shared secret from pair-verify.</summary>
    public const int EcdhSecretLength = 32;

    private static ReadOnlySpan<byte> StreamKeyPrefix => "AirPlayStreamKey"u8;

    private static ReadOnlySpan<byte> StreamIvPrefix => "AirPlayStreamIV"u8;

    /// <summary>
    /// Derives the session AES key (the audio key and the root of the video keys).
    /// Without pairing the FairPlay key is used as is. When a pairing step happened on the connection the key
    /// is <c>first16(SHA-512(fairPlayKey || secret))</c>, where the secret is the pair-verify ECDH secret, or
    /// 32 zero bytes when only pair-setup ran (pass an empty span for that case).
    /// </summary>
    public static byte[] DeriveSessionKey(ReadOnlySpan<byte> fairPlayKey16, ReadOnlySpan<byte> ecdhSecret32OrEmpty, bool pairingHappened)
    {
        if (fairPlayKey16.Length != KeyLength)
        {
            throw new ArgumentException("The FairPlay key must be 16 bytes.", nameof(fairPlayKey16));
        }

        if (ecdhSecret32OrEmpty.Length != 0 && ecdhSecret32OrEmpty.Length != EcdhSecretLength)
        {
            throw new ArgumentException("The ECDH secret must be 32 bytes or empty.", nameof(ecdhSecret32OrEmpty));
        }

        if (!pairingHappened)
        {
            return fairPlayKey16.ToArray();
        }

        Span<byte> input = stackalloc byte[KeyLength + EcdhSecretLength];
        input.Clear();
        fairPlayKey16.CopyTo(input);
        ecdhSecret32OrEmpty.CopyTo(input[KeyLength..]);
        Span<byte> hash = stackalloc byte[SHA512.HashSizeInBytes];
        SHA512.HashData(input, hash);
        var key = hash[..KeyLength].ToArray();
        CryptographicOperations.ZeroMemory(input);
        CryptographicOperations.ZeroMemory(hash);
        return key;
    }

    /// <summary>
    /// Derives the AES-CTR key and initial counter block of a type-110 mirror stream:
    /// <c>first16(SHA-512("AirPlayStreamKey" + id || sessionKey))</c> and the same with
    /// <c>"AirPlayStreamIV"</c>, where id is the stream connection id as an unsigned decimal number.
    /// </summary>
    public static (byte[] Key, byte[] Iv) DeriveMirrorKeys(ReadOnlySpan<byte> sessionKey16, ulong streamConnectionId)
    {
        if (sessionKey16.Length != KeyLength)
        {
            throw new ArgumentException("The session key must be 16 bytes.", nameof(sessionKey16));
        }

        Span<byte> id = stackalloc byte[20];
        if (!streamConnectionId.TryFormat(id, out var idLength, default, CultureInfo.InvariantCulture))
        {
            throw new InvalidOperationException("A 64-bit decimal number does not fit in 20 bytes.");
        }

        return (HashLabel(StreamKeyPrefix, id[..idLength], sessionKey16), HashLabel(StreamIvPrefix, id[..idLength], sessionKey16));
    }

    /// <summary>
    /// Returns the audio (type 96) AES-CBC key and IV: the session key itself, not mixed with any stream id,
    /// and the <c>eiv</c> from the first SETUP.
    /// </summary>
    public static (byte[] Key, byte[] Iv) DeriveAudioKeys(ReadOnlySpan<byte> sessionKey16, ReadOnlySpan<byte> eiv16)
    {
        if (sessionKey16.Length != KeyLength)
        {
            throw new ArgumentException("The session key must be 16 bytes.", nameof(sessionKey16));
        }

        if (eiv16.Length != 16)
        {
            throw new ArgumentException("The eiv must be 16 bytes.", nameof(eiv16));
        }

        return (sessionKey16.ToArray(), eiv16.ToArray());
    }

    /// <summary>Returns the decimal text of a stream connection id as it enters the key derivation.</summary>
    public static string FormatStreamConnectionId(ulong streamConnectionId) =>
        streamConnectionId.ToString(CultureInfo.InvariantCulture);

    /// <summary>Reinterprets a signed plist integer as the unsigned stream connection id.</summary>
    public static ulong StreamConnectionIdFromSigned(long value) => unchecked((ulong)value);

    /// <summary>Returns <c>first16(SHA-512(label || secret))</c>, the pair-verify key and IV construction.</summary>
    public static byte[] HashLabel(ReadOnlySpan<byte> label, ReadOnlySpan<byte> secret) => HashLabel(label, default, secret);

    private static byte[] HashLabel(ReadOnlySpan<byte> prefix, ReadOnlySpan<byte> id, ReadOnlySpan<byte> secret)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA512);
        sha.AppendData(prefix);
        sha.AppendData(id);
        sha.AppendData(secret);
        Span<byte> hash = stackalloc byte[SHA512.HashSizeInBytes];
        sha.GetHashAndReset(hash);
        var result = hash[..KeyLength].ToArray();
        CryptographicOperations.ZeroMemory(hash);
        return result;
    }
}
