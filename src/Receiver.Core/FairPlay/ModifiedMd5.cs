using System.Buffers.Binary;
using System.Numerics;

namespace Receiver.Core.FairPlay;

/// <summary>
/// The MD5 variant of FairPlay session-key derivation: one 64-step MD5 compression of a 64-byte block,
/// chained from a caller-supplied 16-byte state instead of the MD5 IV, and with message words swapped
/// around after step 31 depending on the working state.
/// </summary>
internal static class ModifiedMd5
{
    /// <summary>
    /// Compresses <paramref name="block"/> (64 bytes) starting from <paramref name="state"/> (16 bytes,
    /// four little-endian words) and writes the four little-endian result words to <paramref name="output"/>.
    /// </summary>
    public static void Compute(ReadOnlySpan<byte> block, ReadOnlySpan<byte> state, Span<byte> output)
    {
        if (block.Length != 64)
        {
            throw new ArgumentException("Block must be 64 bytes.", nameof(block));
        }

        if (state.Length != 16 || output.Length != 16)
        {
            throw new ArgumentException("State and output must be 16 bytes.");
        }

        // Message words are read big-endian; the mid-way swap moves whole 4-byte groups,
        // so swapping already-decoded words is equivalent.
        Span<uint> words = stackalloc uint[16];
        for (var k = 0; k < 16; k++)
        {
            words[k] = BinaryPrimitives.ReadUInt32BigEndian(block[(4 * k)..]);
        }

        var s0 = BinaryPrimitives.ReadUInt32LittleEndian(state);
        var s1 = BinaryPrimitives.ReadUInt32LittleEndian(state[4..]);
        var s2 = BinaryPrimitives.ReadUInt32LittleEndian(state[8..]);
        var s3 = BinaryPrimitives.ReadUInt32LittleEndian(state[12..]);
        uint a = s0, b = s1, c = s2, d = s3;

        var shifts = FairPlayTables.Md5Shift;
        var constants = FairPlayTables.Md5SineConstants;
        unchecked
        {
            for (var i = 0; i < 64; i++)
            {
                int index;
                uint mix;
                if (i < 16)
                {
                    index = i;
                    mix = (b & c) | (~b & d);
                }
                else if (i < 32)
                {
                    index = ((5 * i) + 1) % 16;
                    mix = (b & d) | (c & ~d);
                }
                else if (i < 48)
                {
                    index = ((3 * i) + 5) % 16;
                    mix = b ^ c ^ d;
                }
                else
                {
                    index = 7 * i % 16;
                    mix = c ^ (b | ~d);
                }

                var z = a + words[index] + constants[i];
                z = BitOperations.RotateLeft(z + mix, (int)shifts[i]) + b;
                (a, b, c, d) = (d, z, b, c);

                if (i == 31)
                {
                    Swap(words, a & 15, b & 15);
                    Swap(words, c & 15, d & 15);
                    Swap(words, (a >> 4) & 15, (b >> 4) & 15);
                    Swap(words, (a >> 8) & 15, (b >> 8) & 15);
                    Swap(words, (a >> 12) & 15, (b >> 12) & 15);
                }
            }

            BinaryPrimitives.WriteUInt32LittleEndian(output, s0 + a);
            BinaryPrimitives.WriteUInt32LittleEndian(output[4..], s1 + b);
            BinaryPrimitives.WriteUInt32LittleEndian(output[8..], s2 + c);
            BinaryPrimitives.WriteUInt32LittleEndian(output[12..], s3 + d);
        }
    }

    private static void Swap(Span<uint> words, uint i, uint j) => (words[(int)i], words[(int)j]) = (words[(int)j], words[(int)i]);
}
