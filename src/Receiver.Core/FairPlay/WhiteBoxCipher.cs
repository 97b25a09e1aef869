using System.Buffers.Binary;

namespace Receiver.Core.FairPlay;

/// <summary>
/// The AES-like white-box block cipher ("cycle") that turns the ekey's second chunk into the raw
/// AES key. The 16-byte state is handled as bytes in memory order; the reference treats it as four
/// little-endian 32-bit words, which the column step reproduces explicitly.
/// </summary>
internal static class WhiteBoxCipher
{
    private const int InnerRounds = 9;

    /// <summary>Runs the cipher over <paramref name="block"/> (16 bytes) in place with an expanded <paramref name="schedule"/>.</summary>
    public static void Cycle(Span<byte> block, ReadOnlySpan<byte> schedule)
    {
        if (block.Length != 16)
        {
            throw new ArgumentException("Block must be 16 bytes.", nameof(block));
        }

        if (schedule.Length != KeySchedule.Size)
        {
            throw new ArgumentException($"Key schedule must be {KeySchedule.Size} bytes.", nameof(schedule));
        }

        Xor(block, schedule.Slice(10 * 16, 16));
        InitialSubstitution(block);

        for (var round = 0; round < InnerRounds; round++)
        {
            var roundKey = schedule.Slice((9 - round) * 16, 16);
            for (var column = 0; column < 16; column += 4)
            {
                var word = FairPlayTables.S8[block[column] ^ roundKey[column]]
                    ^ FairPlayTables.S7[block[column + 1] ^ roundKey[column + 1]]
                    ^ FairPlayTables.S6[block[column + 2] ^ roundKey[column + 2]]
                    ^ FairPlayTables.S5[block[column + 3] ^ roundKey[column + 3]];
                BinaryPrimitives.WriteUInt32LittleEndian(block[column..], word);
            }

            RoundSubstitution(block, 8 - round);
        }

        Xor(block, schedule[..16]);
    }

    private static void InitialSubstitution(Span<byte> block)
    {
        Span<byte> old = stackalloc byte[16];
        block.CopyTo(old);
        var source = BlockShuffle.Source;
        var box = BlockShuffle.InitialBox;
        for (var p = 0; p < 16; p++)
        {
            block[p] = FairPlayTables.S3[(box[p] << 8) + old[source[p]]];
        }
    }

    private static void RoundSubstitution(Span<byte> block, int round)
    {
        Span<byte> old = stackalloc byte[16];
        block.CopyTo(old);
        var source = BlockShuffle.Source;
        for (var p = 0; p < 16; p++)
        {
            var box = 71 * ((round * 16) + p) % 144;
            block[p] = FairPlayTables.S4[(box << 8) + old[source[p]]];
        }
    }

    private static void Xor(Span<byte> block, ReadOnlySpan<byte> key)
    {
        for (var i = 0; i < 16; i++)
        {
            block[i] ^= key[i];
        }
    }
}
