namespace Receiver.Core.FairPlay;

/// <summary>
/// The second hash of FairPlay session-key derivation: a 64-byte block is expanded into 210 bytes,
/// scrambled, run through <see cref="Garble"/> with fixed working buffers, and folded into 16 bytes.
/// </summary>
internal static class SapHash
{
    private const int ExpandedLength = 210;
    private const int ScrambleSteps = 840;

    /// <summary>Hashes <paramref name="block"/> (64 bytes) into <paramref name="output"/> (16 bytes).</summary>
    public static void Compute(ReadOnlySpan<byte> block, Span<byte> output)
    {
        if (block.Length != 64)
        {
            throw new ArgumentException("Block must be 64 bytes.", nameof(block));
        }

        if (output.Length != 16)
        {
            throw new ArgumentException("Output must be 16 bytes.", nameof(output));
        }

        Span<byte> buffer0 = stackalloc byte[20];
        Span<byte> expanded = stackalloc byte[ExpandedLength];
        Span<byte> buffer2 = stackalloc byte[35];
        Span<byte> buffer3 = stackalloc byte[132];
        Span<byte> buffer4 = stackalloc byte[21];
        FairPlayTables.SapHashBuffer0.CopyTo(buffer0);
        FairPlayTables.SapHashBuffer2.CopyTo(buffer2);
        FairPlayTables.SapHashBuffer4.CopyTo(buffer4);
        buffer3.Clear();

        // The block is read as little-endian words whose bytes are taken most significant first,
        // i.e. the bytes of every 4-byte group are reversed; the 64 bytes repeat to fill 210.
        for (var i = 0; i < ExpandedLength; i++)
        {
            var inBlock = i % 64;
            expanded[i] = block[(inBlock & ~3) + (3 - (inBlock & 3))];
        }

        unchecked
        {
            for (var i = 0; i < ScrambleSteps; i++)
            {
                // Offsets behind the start wrap as unsigned 32-bit values before the modulo.
                var x = expanded[(int)((uint)(i - 155) % ExpandedLength)];
                var y = expanded[(int)((uint)(i - 57) % ExpandedLength)];
                var z = expanded[(int)((uint)(i - 13) % ExpandedLength)];
                var w = expanded[i % ExpandedLength];
                expanded[i % ExpandedLength] = (byte)(ByteRotation.Rol8(y, 5)
                    + (ByteRotation.Rol8(z, 3) ^ w)
                    - ByteRotation.Rol8(x, 7));
            }

            Garble.Apply(buffer0, expanded, buffer2, buffer3, buffer4);

            output.Fill(0xE1);
            var outputIndex = FairPlayTables.SapHashOutputIndex;
            for (var i = 0; i < 11; i++)
            {
                output[i] = i == 3 ? (byte)0x3D : (byte)(output[i] + buffer3[(int)outputIndex[i] * 4]);
            }

            XorFold(output, buffer0);
            XorFold(output, buffer2);
            XorFold(output, expanded);

            for (var round = 0; round < 16; round++)
            {
                for (var i = 0; i < 16; i++)
                {
                    var x = output[(i - 7) & 15];
                    var y = output[i];
                    var z = output[(i - 37) & 15];
                    var w = output[(i - 177) & 15];
                    output[i] = (byte)(ByteRotation.Rol8(x, 1) ^ y ^ ByteRotation.Rol8(z, 6) ^ ByteRotation.Rol8(w, 5));
                }
            }
        }
    }

    private static void XorFold(Span<byte> output, ReadOnlySpan<byte> data)
    {
        for (var i = 0; i < data.Length; i++)
        {
            output[i % 16] ^= data[i];
        }
    }
}
