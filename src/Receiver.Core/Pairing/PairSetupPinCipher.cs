using System.Security.Cryptography;
using System.Text;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Engines;
using Org.BouncyCastle.Crypto.Modes;
using Org.BouncyCastle.Crypto.Parameters;

namespace Receiver.Core.Pairing;

/// <summary>
/// The AES-128-GCM of pair-setup-pin step 3 (docs/PROTOCOL.md §3.3): key and 16-byte IV derived from the SRP
/// session key K, no AAD, 16-byte tag. The sender's message uses the IV with its last byte plus one, the receiver's
/// reply plus two. .NET's <see cref="AesGcm"/> takes only 12-byte nonces, so this uses BouncyCastle.
/// </summary>
internal sealed class PairSetupPinCipher
{
    /// <summary>Length of the encrypted Ed25519 public key.</summary>
    public const int KeyLength = 32;

    /// <summary>Length of the GCM tag.</summary>
    public const int TagLength = 16;

    private const int AesKeyLength = 16;

    private readonly byte[] _key;
    private readonly byte[] _iv;

    public PairSetupPinCipher(ReadOnlySpan<byte> sessionKey)
    {
        _key = Derive("Pair-Setup-AES-Key", sessionKey);
        _iv = Derive("Pair-Setup-AES-IV", sessionKey);
    }

    /// <summary>Encrypts with the IV whose last byte is raised by <paramref name="ivIncrement"/>; returns (ciphertext, tag).</summary>
    public (byte[] Ciphertext, byte[] Tag) Encrypt(ReadOnlySpan<byte> plaintext, byte ivIncrement)
    {
        var cipher = Create(forEncryption: true, ivIncrement);
        var output = new byte[cipher.GetOutputSize(plaintext.Length)];
        var written = cipher.ProcessBytes(plaintext, output);
        written += cipher.DoFinal(output.AsSpan(written));
        return (output[..(written - TagLength)], output[(written - TagLength)..written]);
    }

    /// <summary>Decrypts and authenticates; null when the tag does not verify.</summary>
    public byte[]? TryDecrypt(ReadOnlySpan<byte> ciphertext, ReadOnlySpan<byte> tag, byte ivIncrement)
    {
        var cipher = Create(forEncryption: false, ivIncrement);
        var input = new byte[ciphertext.Length + tag.Length];
        ciphertext.CopyTo(input);
        tag.CopyTo(input.AsSpan(ciphertext.Length));
        var output = new byte[cipher.GetOutputSize(input.Length)];
        try
        {
            var written = cipher.ProcessBytes(input, output);
            written += cipher.DoFinal(output.AsSpan(written));
            return output[..written];
        }
        catch (InvalidCipherTextException)
        {
            CryptographicOperations.ZeroMemory(output);
            return null;
        }
    }

    private static byte[] Derive(string label, ReadOnlySpan<byte> sessionKey)
    {
        var input = new byte[label.Length + sessionKey.Length];
        Encoding.ASCII.GetBytes(label, input);
        sessionKey.CopyTo(input.AsSpan(label.Length));
        return SHA512.HashData(input)[..AesKeyLength];
    }

    private GcmBlockCipher Create(bool forEncryption, byte ivIncrement)
    {
        var iv = (byte[])_iv.Clone();
        iv[^1] = unchecked((byte)(iv[^1] + ivIncrement));
        var cipher = new GcmBlockCipher(new AesEngine());
        cipher.Init(forEncryption, new AeadParameters(new KeyParameter(_key), TagLength * 8, iv));
        return cipher;
    }
}
