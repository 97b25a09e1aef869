using System.Buffers.Binary;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using X86Aes = System.Runtime.Intrinsics.X86.Aes;

namespace Receiver.Core.Crypto;

/// <summary>
/// AES-128-CTR keystream computed with the processor's AES instructions (AES-NI), eight counter blocks at a time, and
/// XORed into the data while it is still in registers. This is <see cref="AesCtr"/>'s keystream wherever the
/// runtime exposes AES-NI; <see cref="EcbBatchKeystream"/> is used elsewhere.
/// </summary>
/// <remarks>
/// One AES round of a block depends on the round before, and the instruction takes several cycles to deliver its
/// result but can start one or two new rounds every cycle. Eight independent counter blocks go through each round
/// together, so the unit is kept busy instead of waiting on one block. The last round's key is XORed with the data
/// first, which makes the last round produce the ciphertext directly. Not thread-safe.
/// </remarks>
internal sealed class AesNiKeystream
{
    /// <summary>Counter blocks encrypted together.</summary>
    public const int ParallelBlocks = 8;

    /// <summary>Bytes of one group of <see cref="ParallelBlocks"/> blocks.</summary>
    public const int GroupBytes = ParallelBlocks * AesCtr.BlockSize;

    private AesNiRoundKeys _roundKeys;

    /// <summary>Expands the round keys of a 16-byte key.</summary>
    public AesNiKeystream(ReadOnlySpan<byte> key16)
    {
        if (!IsSupported)
        {
            throw new PlatformNotSupportedException("This processor has no AES instructions the runtime exposes.");
        }

        _roundKeys = AesNiRoundKeys.Expand(key16);
    }

    /// <summary>Whether this processor and runtime have the instructions this keystream needs.</summary>
    public static bool IsSupported => AesNiRoundKeys.IsSupported && Ssse3.IsSupported;

    /// <summary>
    /// XORs <paramref name="input"/>, a whole number of <see cref="GroupBytes"/> groups, with the keystream that
    /// starts at <paramref name="counter"/> into <paramref name="output"/>, and advances the counter past it.
    /// <paramref name="input"/> and <paramref name="output"/> may be the same memory; other overlaps are not
    /// supported.
    /// </summary>
    public void XorGroups(ReadOnlySpan<byte> input, Span<byte> output, ref CounterBlock counter)
    {
        Debug.Assert(input.Length % GroupBytes == 0, "whole groups");
        Debug.Assert(output.Length >= input.Length, "room for the output");
        ref var src = ref MemoryMarshal.GetReference(input);
        ref var dst = ref MemoryMarshal.GetReference(output);
        var end = (nuint)input.Length;
        var k0 = _roundKeys[0];
        var k1 = _roundKeys[1];
        var k2 = _roundKeys[2];
        var k3 = _roundKeys[3];
        var k4 = _roundKeys[4];
        var k5 = _roundKeys[5];
        var k6 = _roundKeys[6];
        var k7 = _roundKeys[7];
        var k8 = _roundKeys[8];
        var k9 = _roundKeys[9];
        var k10 = _roundKeys[10];

        // The counter block as a vector of its two halves in the processor's byte order; one byte shuffle makes
        // the 16 big-endian bytes AES encrypts.
        var byteSwap = Vector128.Create((byte)15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0);
        var one = Vector128.Create(1UL, 0UL);
        var high = counter.High;
        var low = counter.Low;
        var next = Vector128.Create(low, high);
        for (nuint offset = 0; offset < end; offset += GroupBytes)
        {
            Vector128<byte> b0, b1, b2, b3, b4, b5, b6, b7;
            if (low <= ulong.MaxValue - ParallelBlocks)
            {
                b0 = Ssse3.Shuffle(next.AsByte(), byteSwap) ^ k0;
                next += one;
                b1 = Ssse3.Shuffle(next.AsByte(), byteSwap) ^ k0;
                next += one;
                b2 = Ssse3.Shuffle(next.AsByte(), byteSwap) ^ k0;
                next += one;
                b3 = Ssse3.Shuffle(next.AsByte(), byteSwap) ^ k0;
                next += one;
                b4 = Ssse3.Shuffle(next.AsByte(), byteSwap) ^ k0;
                next += one;
                b5 = Ssse3.Shuffle(next.AsByte(), byteSwap) ^ k0;
                next += one;
                b6 = Ssse3.Shuffle(next.AsByte(), byteSwap) ^ k0;
                next += one;
                b7 = Ssse3.Shuffle(next.AsByte(), byteSwap) ^ k0;
                next += one;
                low += ParallelBlocks;
            }
            else
            {
                // The low half wraps to zero within this group (or right after it): carry block by block.
                b0 = CounterVector(high, low, 0) ^ k0;
                b1 = CounterVector(high, low, 1) ^ k0;
                b2 = CounterVector(high, low, 2) ^ k0;
                b3 = CounterVector(high, low, 3) ^ k0;
                b4 = CounterVector(high, low, 4) ^ k0;
                b5 = CounterVector(high, low, 5) ^ k0;
                b6 = CounterVector(high, low, 6) ^ k0;
                b7 = CounterVector(high, low, 7) ^ k0;
                high = unchecked(low + ParallelBlocks) < low ? unchecked(high + 1) : high;
                low = unchecked(low + ParallelBlocks);
                next = Vector128.Create(low, high);
            }

            b0 = X86Aes.Encrypt(b0, k1);
            b1 = X86Aes.Encrypt(b1, k1);
            b2 = X86Aes.Encrypt(b2, k1);
            b3 = X86Aes.Encrypt(b3, k1);
            b4 = X86Aes.Encrypt(b4, k1);
            b5 = X86Aes.Encrypt(b5, k1);
            b6 = X86Aes.Encrypt(b6, k1);
            b7 = X86Aes.Encrypt(b7, k1);

            b0 = X86Aes.Encrypt(b0, k2);
            b1 = X86Aes.Encrypt(b1, k2);
            b2 = X86Aes.Encrypt(b2, k2);
            b3 = X86Aes.Encrypt(b3, k2);
            b4 = X86Aes.Encrypt(b4, k2);
            b5 = X86Aes.Encrypt(b5, k2);
            b6 = X86Aes.Encrypt(b6, k2);
            b7 = X86Aes.Encrypt(b7, k2);

            b0 = X86Aes.Encrypt(b0, k3);
            b1 = X86Aes.Encrypt(b1, k3);
            b2 = X86Aes.Encrypt(b2, k3);
            b3 = X86Aes.Encrypt(b3, k3);
            b4 = X86Aes.Encrypt(b4, k3);
            b5 = X86Aes.Encrypt(b5, k3);
            b6 = X86Aes.Encrypt(b6, k3);
            b7 = X86Aes.Encrypt(b7, k3);

            b0 = X86Aes.Encrypt(b0, k4);
            b1 = X86Aes.Encrypt(b1, k4);
            b2 = X86Aes.Encrypt(b2, k4);
            b3 = X86Aes.Encrypt(b3, k4);
            b4 = X86Aes.Encrypt(b4, k4);
            b5 = X86Aes.Encrypt(b5, k4);
            b6 = X86Aes.Encrypt(b6, k4);
            b7 = X86Aes.Encrypt(b7, k4);

            b0 = X86Aes.Encrypt(b0, k5);
            b1 = X86Aes.Encrypt(b1, k5);
            b2 = X86Aes.Encrypt(b2, k5);
            b3 = X86Aes.Encrypt(b3, k5);
            b4 = X86Aes.Encrypt(b4, k5);
            b5 = X86Aes.Encrypt(b5, k5);
            b6 = X86Aes.Encrypt(b6, k5);
            b7 = X86Aes.Encrypt(b7, k5);

            b0 = X86Aes.Encrypt(b0, k6);
            b1 = X86Aes.Encrypt(b1, k6);
            b2 = X86Aes.Encrypt(b2, k6);
            b3 = X86Aes.Encrypt(b3, k6);
            b4 = X86Aes.Encrypt(b4, k6);
            b5 = X86Aes.Encrypt(b5, k6);
            b6 = X86Aes.Encrypt(b6, k6);
            b7 = X86Aes.Encrypt(b7, k6);

            b0 = X86Aes.Encrypt(b0, k7);
            b1 = X86Aes.Encrypt(b1, k7);
            b2 = X86Aes.Encrypt(b2, k7);
            b3 = X86Aes.Encrypt(b3, k7);
            b4 = X86Aes.Encrypt(b4, k7);
            b5 = X86Aes.Encrypt(b5, k7);
            b6 = X86Aes.Encrypt(b6, k7);
            b7 = X86Aes.Encrypt(b7, k7);

            b0 = X86Aes.Encrypt(b0, k8);
            b1 = X86Aes.Encrypt(b1, k8);
            b2 = X86Aes.Encrypt(b2, k8);
            b3 = X86Aes.Encrypt(b3, k8);
            b4 = X86Aes.Encrypt(b4, k8);
            b5 = X86Aes.Encrypt(b5, k8);
            b6 = X86Aes.Encrypt(b6, k8);
            b7 = X86Aes.Encrypt(b7, k8);

            b0 = X86Aes.Encrypt(b0, k9);
            b1 = X86Aes.Encrypt(b1, k9);
            b2 = X86Aes.Encrypt(b2, k9);
            b3 = X86Aes.Encrypt(b3, k9);
            b4 = X86Aes.Encrypt(b4, k9);
            b5 = X86Aes.Encrypt(b5, k9);
            b6 = X86Aes.Encrypt(b6, k9);
            b7 = X86Aes.Encrypt(b7, k9);

            X86Aes.EncryptLast(b0, k10 ^ Vector128.LoadUnsafe(ref src, offset + 0)).StoreUnsafe(ref dst, offset + 0);
            X86Aes.EncryptLast(b1, k10 ^ Vector128.LoadUnsafe(ref src, offset + 16)).StoreUnsafe(ref dst, offset + 16);
            X86Aes.EncryptLast(b2, k10 ^ Vector128.LoadUnsafe(ref src, offset + 32)).StoreUnsafe(ref dst, offset + 32);
            X86Aes.EncryptLast(b3, k10 ^ Vector128.LoadUnsafe(ref src, offset + 48)).StoreUnsafe(ref dst, offset + 48);
            X86Aes.EncryptLast(b4, k10 ^ Vector128.LoadUnsafe(ref src, offset + 64)).StoreUnsafe(ref dst, offset + 64);
            X86Aes.EncryptLast(b5, k10 ^ Vector128.LoadUnsafe(ref src, offset + 80)).StoreUnsafe(ref dst, offset + 80);
            X86Aes.EncryptLast(b6, k10 ^ Vector128.LoadUnsafe(ref src, offset + 96)).StoreUnsafe(ref dst, offset + 96);
            X86Aes.EncryptLast(b7, k10 ^ Vector128.LoadUnsafe(ref src, offset + 112)).StoreUnsafe(ref dst, offset + 112);
        }

        counter.High = high;
        counter.Low = low;
    }

    /// <summary>Overwrites the round keys.</summary>
    public void Clear() => _roundKeys = default;

    /// <summary>The big-endian counter block <paramref name="blocks"/> after (high, low), carrying into the high half.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<byte> CounterVector(ulong high, ulong low, ulong blocks)
    {
        unchecked
        {
            var blockLow = low + blocks;
            var blockHigh = blockLow < low ? high + 1 : high;
            return Vector128.Create(BinaryPrimitives.ReverseEndianness(blockHigh), BinaryPrimitives.ReverseEndianness(blockLow)).AsByte();
        }
    }
}
