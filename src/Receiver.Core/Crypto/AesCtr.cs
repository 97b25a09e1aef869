using System.Buffers.Binary;
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
/// The keystream is produced by AES-ECB over a batch of consecutive counter blocks held in a reusable
/// buffer, then XORed into the data with SIMD. The ECB transform is created once per instance: the one-shot
/// <c>Aes.EncryptEcb</c> sets up a new native cipher context on every call, which costs several
/// microseconds and an allocation per batch. No call allocates. Instances are not thread-safe.
/// </remarks>
public sealed class AesCtr : IDisposable
{
    /// <summary>AES block size in bytes.</summary>
    public const int BlockSize = 16;

    private const int BatchBlocks = 2048;
    private const int BatchBytes = BatchBlocks * BlockSize;

    private readonly Aes _aes;
    private readonly ICryptoTransform _ecb;
    private readonly byte[] _counterBlocks = GC.AllocateUninitializedArray<byte>(BatchBytes, pinned: true);
    private readonly byte[] _keystream = GC.AllocateUninitializedArray<byte>(BatchBytes, pinned: true);
    private ulong _counterHigh;
    private ulong _counterLow;
    private int _keystreamOffset;
    private int _keystreamLength;
    private ulong _highHalves;
    private bool _highHalvesValid;
    private bool _disposed;

    /// <summary>Creates a CTR transform for a 16-byte key and a 16-byte initial counter block.</summary>
    public AesCtr(ReadOnlySpan<byte> key16, ReadOnlySpan<byte> iv16)
    {
        if (key16.Length != 16)
        {
            throw new ArgumentException("AES-128 key must be 16 bytes.", nameof(key16));
        }

        if (iv16.Length != BlockSize)
        {
            throw new ArgumentException("Initial counter block must be 16 bytes.", nameof(iv16));
        }

        _aes = Aes.Create();
        _aes.Key = key16.ToArray();
        _aes.Mode = CipherMode.ECB;
        _aes.Padding = PaddingMode.None;
        _ecb = _aes.CreateEncryptor();
        _counterHigh = BinaryPrimitives.ReadUInt64BigEndian(iv16);
        _counterLow = BinaryPrimitives.ReadUInt64BigEndian(iv16[8..]);
    }

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
        AddToCounter((ulong)(count / BlockSize));
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
        _ecb.Dispose();
        _aes.Dispose();
        CryptographicOperations.ZeroMemory(_keystream);
    }

    /// <summary>
    /// Computes the next batch of keystream. A whole batch is always produced: the keystream is one continuous
    /// sequence, so bytes computed ahead are simply used by later calls, and small payloads share the cost of
    /// one native ECB call.
    /// </summary>
    private void Refill()
    {
        ref var start = ref MemoryMarshal.GetArrayDataReference(_counterBlocks);
        var high = _counterHigh;
        var low = _counterLow;
        var carries = unchecked(low + (BatchBlocks - 1)) < low;
        if (carries || !_highHalvesValid || _highHalves != high)
        {
            // The high 64 bits of every counter block are (re)written; with a carry inside the batch they
            // differ between blocks, so the next batch writes them again.
            var blockHigh = high;
            var blockLow = low;
            for (var i = 0; i < BatchBlocks; i++)
            {
                ref var block = ref Unsafe.Add(ref start, i * BlockSize);
                Unsafe.WriteUnaligned(ref block, BinaryPrimitives.ReverseEndianness(blockHigh));
                unchecked
                {
                    blockLow++;
                    if (blockLow == 0)
                    {
                        blockHigh++;
                    }
                }
            }

            _highHalves = high;
            _highHalvesValid = !carries;
        }

        // Only the low 64 bits change between batches without a carry.
        for (var i = 0; i < BatchBlocks; i++)
        {
            Unsafe.WriteUnaligned(ref Unsafe.Add(ref start, (i * BlockSize) + 8), BinaryPrimitives.ReverseEndianness(unchecked(low + (ulong)i)));
        }

        AddToCounter(BatchBlocks);
        _ecb.TransformBlock(_counterBlocks, 0, BatchBytes, _keystream, 0);
        _keystreamOffset = 0;
        _keystreamLength = BatchBytes;
    }

    private void AddToCounter(ulong blocks)
    {
        unchecked
        {
            var low = _counterLow + blocks;
            if (low < _counterLow)
            {
                _counterHigh++;
            }

            _counterLow = low;
        }
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
