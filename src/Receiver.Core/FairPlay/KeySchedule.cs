namespace Receiver.Core.FairPlay;

/// <summary>
/// Expands 16 bytes of key material into the 11 round keys (16 bytes each) of the white-box
/// block cipher. Round keys are kept as bytes in memory order: the reference keeps them as host-order
/// 32-bit words but only ever XORs them or reads their bytes, which is the same thing.
/// </summary>
internal static class KeySchedule
{
    /// <summary>Number of round keys.</summary>
    public const int Rounds = 11;

    /// <summary>Size in bytes of an expanded schedule.</summary>
    public const int Size = Rounds * 16;

    /// <summary>Expands <paramref name="keyMaterial"/> (16 bytes) into <paramref name="schedule"/> (<see cref="Size"/> bytes).</summary>
    public static void Expand(ReadOnlySpan<byte> keyMaterial, Span<byte> schedule)
    {
        if (keyMaterial.Length != 16)
        {
            throw new ArgumentException("Key material must be 16 bytes.", nameof(keyMaterial));
        }

        if (schedule.Length != Size)
        {
            throw new ArgumentException($"Key schedule must be {Size} bytes.", nameof(schedule));
        }

        Span<byte> state = stackalloc byte[16];
        for (var i = 0; i < 16; i++)
        {
            state[i] = (byte)(keyMaterial[i] ^ FairPlayTables.TKey[i]);
        }

        var s1 = FairPlayTables.S1;
        var box = 0;
        for (var round = 0; round < Rounds; round++)
        {
            var roundKey = schedule.Slice(round * 16, 16);

            // Word 0 is recorded before it is mixed with the substituted last word.
            state[..4].CopyTo(roundKey);
            state[0] ^= (byte)(s1[BoxOffset(box) + state[13]] ^ FairPlayTables.IndexMangle[round]);
            state[1] ^= s1[BoxOffset(box + 1) + state[14]];
            state[2] ^= s1[BoxOffset(box + 2) + state[15]];
            state[3] ^= s1[BoxOffset(box + 3) + state[12]];
            box += 4;

            // Words 1..3 are recorded, then each absorbs the (already updated) word before it.
            for (var word = 1; word < 4; word++)
            {
                state.Slice(word * 4, 4).CopyTo(roundKey[(word * 4)..]);
                for (var k = 0; k < 4; k++)
                {
                    state[(word * 4) + k] ^= state[((word - 1) * 4) + k];
                }
            }
        }
    }

    private static int BoxOffset(int index) => (31 * index % 40) << 8;
}
