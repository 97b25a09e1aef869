using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using X86Aes = System.Runtime.Intrinsics.X86.Aes;

namespace Receiver.Core.Crypto;

/// <summary>
/// AES-128-CBC decryption with the processor's AES instructions (AES-NI). Unlike CBC encryption, decryption has no
/// chain between blocks until the final XOR with the previous ciphertext block, so eight blocks go through the rounds
/// together and keep the AES unit busy. Used by <see cref="AudioCbcDecryptor"/> where the runtime exposes AES-NI.
/// </summary>
internal sealed class AesNiCbcDecryptor
{
    /// <summary>Blocks decrypted together.</summary>
    public const int ParallelBlocks = 8;

    private const int BlockSize = 16;
    private const int GroupBytes = ParallelBlocks * BlockSize;

    private AesNiRoundKeys _roundKeys;

    /// <summary>Expands the decryption round keys of a 16-byte key.</summary>
    public AesNiCbcDecryptor(ReadOnlySpan<byte> key16)
    {
        if (!AesNiRoundKeys.IsSupported)
        {
            throw new PlatformNotSupportedException("This processor has no AES instructions the runtime exposes.");
        }

        _roundKeys = AesNiRoundKeys.Expand(key16).ForDecryption();
    }

    /// <summary>
    /// Decrypts <paramref name="input"/>, a whole number of blocks chained from <paramref name="iv"/>, into
    /// <paramref name="output"/>. The two may be the same memory; other overlaps are not supported.
    /// </summary>
    public void Decrypt(ReadOnlySpan<byte> input, Span<byte> output, Vector128<byte> iv)
    {
        Debug.Assert(input.Length % BlockSize == 0, "whole blocks");
        Debug.Assert(output.Length >= input.Length, "room for the output");
        ref var src = ref MemoryMarshal.GetReference(input);
        ref var dst = ref MemoryMarshal.GetReference(output);
        var length = (nuint)input.Length;
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

        // The XOR with the previous ciphertext block rides on the last round's key. Every ciphertext block of a
        // group is read before any plaintext is written, so in-place decryption reads no plaintext as ciphertext.
        var previous = iv;
        nuint offset = 0;
        for (; offset + GroupBytes <= length; offset += GroupBytes)
        {
            var c0 = Vector128.LoadUnsafe(ref src, offset + 0);
            var c1 = Vector128.LoadUnsafe(ref src, offset + 16);
            var c2 = Vector128.LoadUnsafe(ref src, offset + 32);
            var c3 = Vector128.LoadUnsafe(ref src, offset + 48);
            var c4 = Vector128.LoadUnsafe(ref src, offset + 64);
            var c5 = Vector128.LoadUnsafe(ref src, offset + 80);
            var c6 = Vector128.LoadUnsafe(ref src, offset + 96);
            var c7 = Vector128.LoadUnsafe(ref src, offset + 112);
            var b0 = c0 ^ k0;
            var b1 = c1 ^ k0;
            var b2 = c2 ^ k0;
            var b3 = c3 ^ k0;
            var b4 = c4 ^ k0;
            var b5 = c5 ^ k0;
            var b6 = c6 ^ k0;
            var b7 = c7 ^ k0;

            b0 = X86Aes.Decrypt(b0, k1);
            b1 = X86Aes.Decrypt(b1, k1);
            b2 = X86Aes.Decrypt(b2, k1);
            b3 = X86Aes.Decrypt(b3, k1);
            b4 = X86Aes.Decrypt(b4, k1);
            b5 = X86Aes.Decrypt(b5, k1);
            b6 = X86Aes.Decrypt(b6, k1);
            b7 = X86Aes.Decrypt(b7, k1);

            b0 = X86Aes.Decrypt(b0, k2);
            b1 = X86Aes.Decrypt(b1, k2);
            b2 = X86Aes.Decrypt(b2, k2);
            b3 = X86Aes.Decrypt(b3, k2);
            b4 = X86Aes.Decrypt(b4, k2);
            b5 = X86Aes.Decrypt(b5, k2);
            b6 = X86Aes.Decrypt(b6, k2);
            b7 = X86Aes.Decrypt(b7, k2);

            b0 = X86Aes.Decrypt(b0, k3);
            b1 = X86Aes.Decrypt(b1, k3);
            b2 = X86Aes.Decrypt(b2, k3);
            b3 = X86Aes.Decrypt(b3, k3);
            b4 = X86Aes.Decrypt(b4, k3);
            b5 = X86Aes.Decrypt(b5, k3);
            b6 = X86Aes.Decrypt(b6, k3);
            b7 = X86Aes.Decrypt(b7, k3);

            b0 = X86Aes.Decrypt(b0, k4);
            b1 = X86Aes.Decrypt(b1, k4);
            b2 = X86Aes.Decrypt(b2, k4);
            b3 = X86Aes.Decrypt(b3, k4);
            b4 = X86Aes.Decrypt(b4, k4);
            b5 = X86Aes.Decrypt(b5, k4);
            b6 = X86Aes.Decrypt(b6, k4);
            b7 = X86Aes.Decrypt(b7, k4);

            b0 = X86Aes.Decrypt(b0, k5);
            b1 = X86Aes.Decrypt(b1, k5);
            b2 = X86Aes.Decrypt(b2, k5);
            b3 = X86Aes.Decrypt(b3, k5);
            b4 = X86Aes.Decrypt(b4, k5);
            b5 = X86Aes.Decrypt(b5, k5);
            b6 = X86Aes.Decrypt(b6, k5);
            b7 = X86Aes.Decrypt(b7, k5);

            b0 = X86Aes.Decrypt(b0, k6);
            b1 = X86Aes.Decrypt(b1, k6);
            b2 = X86Aes.Decrypt(b2, k6);
            b3 = X86Aes.Decrypt(b3, k6);
            b4 = X86Aes.Decrypt(b4, k6);
            b5 = X86Aes.Decrypt(b5, k6);
            b6 = X86Aes.Decrypt(b6, k6);
            b7 = X86Aes.Decrypt(b7, k6);

            b0 = X86Aes.Decrypt(b0, k7);
            b1 = X86Aes.Decrypt(b1, k7);
            b2 = X86Aes.Decrypt(b2, k7);
            b3 = X86Aes.Decrypt(b3, k7);
            b4 = X86Aes.Decrypt(b4, k7);
            b5 = X86Aes.Decrypt(b5, k7);
            b6 = X86Aes.Decrypt(b6, k7);
            b7 = X86Aes.Decrypt(b7, k7);

            b0 = X86Aes.Decrypt(b0, k8);
            b1 = X86Aes.Decrypt(b1, k8);
            b2 = X86Aes.Decrypt(b2, k8);
            b3 = X86Aes.Decrypt(b3, k8);
            b4 = X86Aes.Decrypt(b4, k8);
            b5 = X86Aes.Decrypt(b5, k8);
            b6 = X86Aes.Decrypt(b6, k8);
            b7 = X86Aes.Decrypt(b7, k8);

            b0 = X86Aes.Decrypt(b0, k9);
            b1 = X86Aes.Decrypt(b1, k9);
            b2 = X86Aes.Decrypt(b2, k9);
            b3 = X86Aes.Decrypt(b3, k9);
            b4 = X86Aes.Decrypt(b4, k9);
            b5 = X86Aes.Decrypt(b5, k9);
            b6 = X86Aes.Decrypt(b6, k9);
            b7 = X86Aes.Decrypt(b7, k9);

            X86Aes.DecryptLast(b0, k10 ^ previous).StoreUnsafe(ref dst, offset + 0);
            X86Aes.DecryptLast(b1, k10 ^ c0).StoreUnsafe(ref dst, offset + 16);
            X86Aes.DecryptLast(b2, k10 ^ c1).StoreUnsafe(ref dst, offset + 32);
            X86Aes.DecryptLast(b3, k10 ^ c2).StoreUnsafe(ref dst, offset + 48);
            X86Aes.DecryptLast(b4, k10 ^ c3).StoreUnsafe(ref dst, offset + 64);
            X86Aes.DecryptLast(b5, k10 ^ c4).StoreUnsafe(ref dst, offset + 80);
            X86Aes.DecryptLast(b6, k10 ^ c5).StoreUnsafe(ref dst, offset + 96);
            X86Aes.DecryptLast(b7, k10 ^ c6).StoreUnsafe(ref dst, offset + 112);
            previous = c7;
        }

        for (; offset < length; offset += BlockSize)
        {
            var c = Vector128.LoadUnsafe(ref src, offset);
            var b = c ^ k0;
            b = X86Aes.Decrypt(b, k1);
            b = X86Aes.Decrypt(b, k2);
            b = X86Aes.Decrypt(b, k3);
            b = X86Aes.Decrypt(b, k4);
            b = X86Aes.Decrypt(b, k5);
            b = X86Aes.Decrypt(b, k6);
            b = X86Aes.Decrypt(b, k7);
            b = X86Aes.Decrypt(b, k8);
            b = X86Aes.Decrypt(b, k9);
            X86Aes.DecryptLast(b, k10 ^ previous).StoreUnsafe(ref dst, offset);
            previous = c;
        }
    }

    /// <summary>Overwrites the round keys.</summary>
    public void Clear() => _roundKeys = default;
}
