using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace Receiver.Core.Crypto;

/// <summary>
/// AES-CTR keystream from the platform's AES (OpenSSL on Linux) in ECB mode over a batch of consecutive counter
/// blocks. This is <see cref="AesCtr"/>'s keystream where the processor has no AES instructions the runtime exposes.
/// </summary>
/// <remarks>
/// The ECB transform is created once per key: the one-shot <c>Aes.EncryptEcb</c> sets up a new native cipher
/// context on every call, which costs several microseconds and an allocation per batch. Not thread-safe.
/// </remarks>
internal sealed class EcbBatchKeystream : IDisposable
{
    /// <summary>Counter blocks per batch.</summary>
    public const int BatchBlocks = 2048;

    /// <summary>Keystream bytes per batch.</summary>
    public const int BatchBytes = BatchBlocks * AesCtr.BlockSize;

    private readonly Aes _aes;
    private readonly ICryptoTransform _ecb;
    private readonly byte[] _counterBlocks = GC.AllocateUninitializedArray<byte>(BatchBytes, pinned: true);
    private ulong _highHalves;
    private bool _highHalvesValid;

    /// <summary>Creates the keystream source for a 16-byte key.</summary>
    public EcbBatchKeystream(ReadOnlySpan<byte> key16)
    {
        _aes = Aes.Create();
        var key = key16.ToArray();
        try
        {
            _aes.Key = key;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }

        _aes.Mode = CipherMode.ECB;
        _aes.Padding = PaddingMode.None;
        _ecb = _aes.CreateEncryptor();
    }

    /// <summary>
    /// Writes the keystream of the next <see cref="BatchBlocks"/> counter blocks into <paramref name="keystream"/>
    /// (<see cref="BatchBytes"/> long) and advances <paramref name="counter"/> past them.
    /// </summary>
    public void Generate(byte[] keystream, ref CounterBlock counter)
    {
        ref var start = ref MemoryMarshal.GetArrayDataReference(_counterBlocks);
        var high = counter.High;
        var low = counter.Low;
        var carries = unchecked(low + (BatchBlocks - 1)) < low;
        if (carries || !_highHalvesValid || _highHalves != high)
        {
            // The high 64 bits of every counter block are (re)written; with a carry inside the batch they
            // differ between blocks, so the next batch writes them again.
            var blockHigh = high;
            var blockLow = low;
            for (var i = 0; i < BatchBlocks; i++)
            {
                ref var block = ref Unsafe.Add(ref start, i * AesCtr.BlockSize);
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
            Unsafe.WriteUnaligned(ref Unsafe.Add(ref start, (i * AesCtr.BlockSize) + 8), BinaryPrimitives.ReverseEndianness(unchecked(low + (ulong)i)));
        }

        counter.Add(BatchBlocks);
        _ecb.TransformBlock(_counterBlocks, 0, BatchBytes, keystream, 0);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _ecb.Dispose();
        _aes.Dispose();
        CryptographicOperations.ZeroMemory(_counterBlocks);
    }
}
