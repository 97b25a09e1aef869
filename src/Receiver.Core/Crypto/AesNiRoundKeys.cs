using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using X86Aes = System.Runtime.Intrinsics.X86.Aes;

namespace Receiver.Core.Crypto;

/// <summary>
/// The eleven round keys of AES-128 (FIPS 197 §5.2) as the AES-NI instructions take them, expanded once per key.
/// </summary>
[InlineArray(Count)]
internal struct AesNiRoundKeys
{
    /// <summary>Round keys of AES-128: the key itself and one for each of the ten rounds.</summary>
    public const int Count = 11;

    private Vector128<byte> _key;

    /// <summary>Whether this processor and runtime have the AES instructions.</summary>
    public static bool IsSupported => X86Aes.IsSupported;

    /// <summary>The encryption round keys of a 16-byte key.</summary>
    public static AesNiRoundKeys Expand(ReadOnlySpan<byte> key16)
    {
        if (key16.Length != 16)
        {
            throw new ArgumentException("AES-128 key must be 16 bytes.", nameof(key16));
        }

        var keys = default(AesNiRoundKeys);
        var key = Vector128.Create(key16);
        keys[0] = key;
        key = Next(key, X86Aes.KeygenAssist(key, 0x01));
        keys[1] = key;
        key = Next(key, X86Aes.KeygenAssist(key, 0x02));
        keys[2] = key;
        key = Next(key, X86Aes.KeygenAssist(key, 0x04));
        keys[3] = key;
        key = Next(key, X86Aes.KeygenAssist(key, 0x08));
        keys[4] = key;
        key = Next(key, X86Aes.KeygenAssist(key, 0x10));
        keys[5] = key;
        key = Next(key, X86Aes.KeygenAssist(key, 0x20));
        keys[6] = key;
        key = Next(key, X86Aes.KeygenAssist(key, 0x40));
        keys[7] = key;
        key = Next(key, X86Aes.KeygenAssist(key, 0x80));
        keys[8] = key;
        key = Next(key, X86Aes.KeygenAssist(key, 0x1b));
        keys[9] = key;
        key = Next(key, X86Aes.KeygenAssist(key, 0x36));
        keys[10] = key;
        return keys;
    }

    /// <summary>
    /// The round keys of the equivalent inverse cipher (FIPS 197 §5.3.5) in the order the decryption rounds use
    /// them: the last key first, the middle nine through InvMixColumns, the cipher key last.
    /// </summary>
    public readonly AesNiRoundKeys ForDecryption()
    {
        var keys = default(AesNiRoundKeys);
        keys[0] = this[Count - 1];
        for (var round = 1; round < Count - 1; round++)
        {
            keys[round] = X86Aes.InverseMixColumns(this[Count - 1 - round]);
        }

        keys[Count - 1] = this[0];
        return keys;
    }

    /// <summary>One step of the key schedule from the previous round key.</summary>
    private static Vector128<byte> Next(Vector128<byte> key, Vector128<byte> assist)
    {
        // KeygenAssist's top word is RotWord(SubWord(w3)) xor Rcon; each word of the new key is that word xored
        // with every word of the previous key up to its own position.
        var word = Sse2.Shuffle(assist.AsUInt32(), 0xFF).AsByte();
        key ^= Sse2.ShiftLeftLogical128BitLane(key, 4);
        key ^= Sse2.ShiftLeftLogical128BitLane(key, 4);
        key ^= Sse2.ShiftLeftLogical128BitLane(key, 4);
        return key ^ word;
    }
}
