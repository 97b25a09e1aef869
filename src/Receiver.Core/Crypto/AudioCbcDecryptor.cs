using System.Security.Cryptography;

namespace Receiver.Core.Crypto;

/// <summary>
/// AES-128-CBC for audio RTP payloads (docs/PROTOCOL.md §8.3). Every packet starts from the same IV; only the
/// first <c>floor(length / 16) * 16</c> bytes are encrypted, the remaining 0..15 bytes travel in the clear,
/// and there is no padding.
/// </summary>
public sealed class AudioCbcDecryptor : IDisposable
{
    private const int BlockSize = 16;

    private readonly Aes _aes;
    private readonly byte[] _iv;

    /// <summary>Creates a decryptor for the audio key and the <c>eiv</c> from SETUP.</summary>
    public AudioCbcDecryptor(ReadOnlySpan<byte> key16, ReadOnlySpan<byte> iv16)
    {
        if (key16.Length != 16)
        {
            throw new ArgumentException("AES-128 key must be 16 bytes.", nameof(key16));
        }

        if (iv16.Length != BlockSize)
        {
            throw new ArgumentException("IV must be 16 bytes.", nameof(iv16));
        }

        _aes = Aes.Create();
        _aes.Key = key16.ToArray();
        _iv = iv16.ToArray();
    }

    /// <summary>
    /// Decrypts one packet payload into <paramref name="output"/> (at least as long as the payload).
    /// The same span may be passed as input and output.
    /// </summary>
    public void Decrypt(ReadOnlySpan<byte> payload, Span<byte> output)
    {
        var encrypted = PrepareOutput(payload, output);
        if (encrypted > 0)
        {
            _aes.DecryptCbc(payload[..encrypted], _iv, output[..encrypted], PaddingMode.None);
        }
    }

    /// <summary>Encrypts one packet payload the way a sender does (the inverse of <see cref="Decrypt"/>).</summary>
    public void Encrypt(ReadOnlySpan<byte> payload, Span<byte> output)
    {
        var encrypted = PrepareOutput(payload, output);
        if (encrypted > 0)
        {
            _aes.EncryptCbc(payload[..encrypted], _iv, output[..encrypted], PaddingMode.None);
        }
    }

    /// <inheritdoc />
    public void Dispose() => _aes.Dispose();

    private static int PrepareOutput(ReadOnlySpan<byte> payload, Span<byte> output)
    {
        if (output.Length < payload.Length)
        {
            throw new ArgumentException("Output is shorter than the payload.", nameof(output));
        }

        var encrypted = payload.Length & ~(BlockSize - 1);
        payload[encrypted..].CopyTo(output[encrypted..]);
        return encrypted;
    }
}
