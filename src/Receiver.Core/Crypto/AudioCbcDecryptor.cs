using System.Runtime.Intrinsics;
using System.Security.Cryptography;

namespace Receiver.Core.Crypto;

/// <summary>
/// AES-128-CBC for audio RTP payloads (docs/PROTOCOL.md §8.3). Every packet starts from the same IV; only the
/// first <c>floor(length / 16) * 16</c> bytes are encrypted, the remaining 0..15 bytes travel in the clear,
/// and there is no padding. With AES-NI the packet is decrypted in registers, eight blocks at a time
/// (<see cref="AesNiCbcDecryptor"/>); elsewhere one platform AES-ECB transform is kept and the blocks are chained
/// here. Either way a packet costs no allocation (the one-shot CBC call sets up a native context per packet).
/// </summary>
public sealed class AudioCbcDecryptor : IDisposable
{
    private const int BlockSize = 16;

    private readonly Aes _aes;
    private readonly byte[] _iv;
    private readonly Vector128<byte> _ivBlock;
    private readonly AesNiCbcDecryptor? _aesNi;
    private readonly ICryptoTransform? _ecb;
    private byte[] _cipher = [];
    private byte[] _plain = [];

    /// <summary>Creates a decryptor for the audio key and the <c>eiv</c> from SETUP.</summary>
    public AudioCbcDecryptor(ReadOnlySpan<byte> key16, ReadOnlySpan<byte> iv16)
        : this(key16, iv16, AesImplementation.Fastest)
    {
    }

    /// <summary>Creates a decryptor that decrypts with <paramref name="implementation"/>.</summary>
    /// <exception cref="PlatformNotSupportedException">AES-NI is asked for and this processor has none.</exception>
    internal AudioCbcDecryptor(ReadOnlySpan<byte> key16, ReadOnlySpan<byte> iv16, AesImplementation implementation)
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
        _ivBlock = Vector128.Create(iv16);
        _aes.Mode = CipherMode.ECB;
        _aes.Padding = PaddingMode.None;
        if (implementation == AesImplementation.AesNi || (implementation == AesImplementation.Fastest && AesNiRoundKeys.IsSupported))
        {
            _aesNi = new AesNiCbcDecryptor(key16);
        }
        else
        {
            _ecb = _aes.CreateDecryptor();
            _cipher = new byte[2048];
            _plain = new byte[2048];
        }
    }

    /// <summary>Which AES decrypts.</summary>
    internal AesImplementation Implementation => _aesNi is not null ? AesImplementation.AesNi : AesImplementation.Platform;

    /// <summary>
    /// Decrypts one packet payload into <paramref name="output"/> (at least as long as the payload).
    /// The same span may be passed as input and output.
    /// </summary>
    public void Decrypt(ReadOnlySpan<byte> payload, Span<byte> output)
    {
        var encrypted = PrepareOutput(payload, output);
        if (encrypted == 0)
        {
            return;
        }

        if (_aesNi is not null)
        {
            _aesNi.Decrypt(payload[..encrypted], output, _ivBlock);
            return;
        }

        if (_cipher.Length < encrypted)
        {
            _cipher = new byte[encrypted];
            _plain = new byte[encrypted];
        }

        // CBC: plain[i] = D(cipher[i]) xor cipher[i - 1], with the IV before the first block.
        payload[..encrypted].CopyTo(_cipher);
        _ecb!.TransformBlock(_cipher, 0, encrypted, _plain, 0);
        for (var block = 0; block < encrypted; block += BlockSize)
        {
            var previous = block == 0 ? _iv.AsSpan() : _cipher.AsSpan(block - BlockSize, BlockSize);
            var plain = _plain.AsSpan(block, BlockSize);
            var destination = output.Slice(block, BlockSize);
            for (var i = 0; i < BlockSize; i++)
            {
                destination[i] = (byte)(plain[i] ^ previous[i]);
            }
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
    public void Dispose()
    {
        _aesNi?.Clear();
        _ecb?.Dispose();
        _aes.Dispose();
    }

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
