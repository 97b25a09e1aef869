using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Security.Cryptography;

namespace Receiver.Core.Crypto;

/// <summary>
/// AES-128 in counter mode with one continuous keystream. The 16-byte IV is the initial counter block and
/// the whole block is incremented as one 128-bit big-endian integer. Calls may end in the middle of a
/// block: the unused keystream bytes are kept and consumed by the next call (docs/PROTOCOL.md §7.3).
/// </summary>
/// <remarks>
/// With AES-NI (<see cref="AesNiKeystream"/>) whole groups of eight blocks are encrypted and XORed into the data
/// in registers, and only the keystream of the last, partial group is kept for the next call. Without it
/// (<see cref="EcbBatchKeystream"/>) the platform's AES-ECB computes keystream 32 KiB ahead into a buffer, which is
/// then XORed into the data with SIMD. No call allocates. Instances are not thread-safe.
/// </remarks>
public sealed class AesCtr : IDisposable
{
    /// <summary>AES block size in bytes.</summary>
    public const int BlockSize = 16;

    private readonly AesNiKeystream? _aesNi;
    private readonly EcbBatchKeystream? _ecb;
    private readonly byte[] _keystream;
    private CounterBlock _counter;
    private int _keystreamOffset;
    private int _keystreamLength;
    private bool _disposed;

    /// <summary>Creates a CTR transform for a 16-byte key and a 16-byte initial counter block.</summary>
    public AesCtr(ReadOnlySpan<byte> key16, ReadOnlySpan<byte> iv16)
        : this(key16, iv16, AesImplementation.Fastest)
    {
    }

    /// <summary>Creates a CTR transform whose keystream comes from <paramref name="implementation"/>.</summary>
    /// <exception cref="PlatformNotSupportedException">AES-NI is asked for and this processor has none.</exception>
    internal AesCtr(ReadOnlySpan<byte> key16, ReadOnlySpan<byte> iv16, AesImplementation implementation)
    {
        if (key16.Length != 16)
        {
            throw new ArgumentException("AES-128 key must be 16 bytes.", nameof(key16));
        }

        if (iv16.Length != BlockSize)
        {
            throw new ArgumentException("Initial counter block must be 16 bytes.", nameof(iv16));
        }

        if (implementation == AesImplementation.AesNi || (implementation == AesImplementation.Fastest && AesNiKeystream.IsSupported))
        {
            _aesNi = new AesNiKeystream(key16);
            _keystream = new byte[AesNiKeystream.GroupBytes];
        }
        else
        {
            _ecb = new EcbBatchKeystream(key16);
            _keystream = GC.AllocateUninitializedArray<byte>(EcbBatchKeystream.BatchBytes, pinned: true);
        }

        _counter = new CounterBlock(iv16);
    }

    /// <summary>Which AES computes this instance's keystream.</summary>
    internal AesImplementation Implementation => _aesNi is not null ? AesImplementation.AesNi : AesImplementation.Platform;

    /// <summary>
    /// XORs <paramref name="input"/> with the next keystream bytes into <paramref name="output"/>.
    /// Encryption and decryption are the same operation. <paramref name="input"/> and
    /// <paramref name="output"/> may be the same memory; other overlaps are not supported.
    /// </summary>
    public void Transform(ReadOnlySpan<byte> input, Span<byte> output)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (output.Length < input.Length)
        {
            throw new ArgumentException("Output is shorter than input.", nameof(output));
        }

        var done = 0;
        while (done < input.Length)
        {
            if (_keystreamOffset == _keystreamLength)
            {
                var groups = (input.Length - done) & ~(AesNiKeystream.GroupBytes - 1);
                if (_aesNi is not null && groups != 0)
                {
                    // On a group boundary of the keystream: the data takes the keystream straight from registers.
                    _aesNi.XorGroups(input.Slice(done, groups), output.Slice(done, groups), ref _counter);
                    done += groups;
                    continue;
                }

                Refill();
            }

            var chunk = Math.Min(_keystreamLength - _keystreamOffset, input.Length - done);
            Xor(input.Slice(done, chunk), _keystream.AsSpan(_keystreamOffset, chunk), output.Slice(done, chunk));
            _keystreamOffset += chunk;
            done += chunk;
        }
    }

    /// <summary>Transforms <paramref name="buffer"/> in place.</summary>
    public void Transform(Span<byte> buffer) => Transform(buffer, buffer);

    /// <summary>Discards the next <paramref name="count"/> keystream bytes.</summary>
    public void Skip(int count)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentOutOfRangeException.ThrowIfNegative(count);

        var buffered = Math.Min(count, _keystreamLength - _keystreamOffset);
        _keystreamOffset += buffered;
        count -= buffered;
        if (count == 0)
        {
            return;
        }

        // The buffer is now exhausted: jump the counter over whole blocks without computing them.
        _counter.Add((ulong)(count / BlockSize));
        _keystreamOffset = 0;
        _keystreamLength = 0;
        var remainder = count % BlockSize;
        if (remainder != 0)
        {
            Refill();
            _keystreamOffset = remainder;
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _aesNi?.Clear();
        _ecb?.Dispose();
        CryptographicOperations.ZeroMemory(_keystream);
    }

    /// <summary>
    /// Computes the keystream buffer's worth of keystream from the current counter. Bytes computed ahead are simply
    /// used by later calls: the keystream is one continuous sequence.
    /// </summary>
    private void Refill()
    {
        if (_aesNi is not null)
        {
            // The keystream is the encryption of zeros.
            Array.Clear(_keystream);
            _aesNi.XorGroups(_keystream, _keystream, ref _counter);
        }
        else
        {
            _ecb!.Generate(_keystream, ref _counter);
        }

        _keystreamOffset = 0;
        _keystreamLength = _keystream.Length;
    }

    private static void Xor(ReadOnlySpan<byte> data, ReadOnlySpan<byte> keystream, Span<byte> output)
    {
        var length = data.Length;
        ref var src = ref MemoryMarshal.GetReference(data);
        ref var key = ref MemoryMarshal.GetReference(keystream);
        ref var dst = ref MemoryMarshal.GetReference(output);
        var i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; i <= length - Vector256<byte>.Count; i += Vector256<byte>.Count)
            {
                var v = Vector256.LoadUnsafe(ref src, (nuint)i) ^ Vector256.LoadUnsafe(ref key, (nuint)i);
                v.StoreUnsafe(ref dst, (nuint)i);
            }
        }

        for (; i <= length - Vector128<byte>.Count; i += Vector128<byte>.Count)
        {
            var v = Vector128.LoadUnsafe(ref src, (nuint)i) ^ Vector128.LoadUnsafe(ref key, (nuint)i);
            v.StoreUnsafe(ref dst, (nuint)i);
        }

        for (; i <= length - sizeof(ulong); i += sizeof(ulong))
        {
            var v = Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref src, i)) ^ Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref key, i));
            Unsafe.WriteUnaligned(ref Unsafe.Add(ref dst, i), v);
        }

        for (; i < length; i++)
        {
            Unsafe.Add(ref dst, i) = (byte)(Unsafe.Add(ref src, i) ^ Unsafe.Add(ref key, i));
        }
    }
}
