using System.Buffers.Binary;
using System.Reflection;

namespace Receiver.Core.FairPlay;

/// <summary>
/// The constant tables of the FairPlay v3 (playfair) key derivation, loaded once from the embedded
/// resources <c>Receiver.Core.FairPlay.Tables.*.bin</c>. Byte tables are kept as they are stored;
/// tables of 32-bit words are stored little-endian and converted to <see cref="uint"/> arrays.
/// </summary>
internal static class FairPlayTables
{
    /// <summary>Prefix of the logical resource name of every table file.</summary>
    public const string ResourcePrefix = "Receiver.Core.FairPlay.Tables.";

    /// <summary>Per-mode round-key bytes of the message-3 decryption, [4][144].</summary>
    public static readonly byte[] MessageKey = LoadBytes("message_key.bin", 4 * 144);

    /// <summary>Per-mode chaining value of the message-3 decryption, [4][16].</summary>
    public static readonly byte[] MessageIv = LoadBytes("message_iv.bin", 4 * 16);

    /// <summary>XOR mask applied before the block cipher and to the final key.</summary>
    public static readonly byte[] ZKey = LoadBytes("z_key.bin", 16);

    /// <summary>XOR mask applied to the block-cipher output.</summary>
    public static readonly byte[] XKey = LoadBytes("x_key.bin", 16);

    /// <summary>XOR mask applied to key material before key-schedule expansion.</summary>
    public static readonly byte[] TKey = LoadBytes("t_key.bin", 16);

    /// <summary>Key-schedule substitution boxes, [40][256].</summary>
    public static readonly byte[] S1 = LoadBytes("table_s1.bin", 40 * 256);

    /// <summary>Message-3 round substitution boxes, [144][256].</summary>
    public static readonly byte[] S2 = LoadBytes("table_s2.bin", 144 * 256);

    /// <summary>Initial substitution boxes of the block cipher, [16][256].</summary>
    public static readonly byte[] S3 = LoadBytes("table_s3.bin", 16 * 256);

    /// <summary>Per-round substitution boxes of the block cipher, [144][256].</summary>
    public static readonly byte[] S4 = LoadBytes("table_s4.bin", 144 * 256);

    /// <summary>Block-cipher column table for byte 3 of each column.</summary>
    public static readonly uint[] S5 = LoadWords("table_s5.bin", 256);

    /// <summary>Block-cipher column table for byte 2 of each column.</summary>
    public static readonly uint[] S6 = LoadWords("table_s6.bin", 256);

    /// <summary>Block-cipher column table for byte 1 of each column.</summary>
    public static readonly uint[] S7 = LoadWords("table_s7.bin", 256);

    /// <summary>Block-cipher column table for byte 0 of each column.</summary>
    public static readonly uint[] S8 = LoadWords("table_s8.bin", 256);

    /// <summary>Message-3 column-mixing tables, one per byte lane, [4][256].</summary>
    public static readonly uint[] S9 = LoadWords("table_s9.bin", 4 * 256);

    /// <summary>Final substitution boxes of each message-3 block, [16][256].</summary>
    public static readonly byte[] S10 = LoadBytes("table_s10.bin", 16 * 256);

    /// <summary>Per-round constants of the key-schedule expansion.</summary>
    public static readonly byte[] IndexMangle = LoadBytes("index_mangle.bin", 11);

    /// <summary>Starting value of the session-key accumulator.</summary>
    public static readonly byte[] InitialSessionKey = LoadBytes("initial_session_key.bin", 16);

    /// <summary>Fixed bytes at the start of the buffer hashed during session-key derivation.</summary>
    public static readonly byte[] StaticSource1 = LoadBytes("static_source_1.bin", 17);

    /// <summary>Fixed bytes at the end of the buffer hashed during session-key derivation.</summary>
    public static readonly byte[] StaticSource2 = LoadBytes("static_source_2.bin", 47);

    /// <summary>The default SAP blob; bytes 0x80..0xFF enter session-key derivation.</summary>
    public static readonly byte[] DefaultSap = LoadBytes("default_sap.bin", 276);

    /// <summary>The four fixed replies to fp-setup message 1, [4][142].</summary>
    public static readonly byte[] ReplyMessage = LoadBytes("reply_message.bin", 4 * 142);

    /// <summary>Header of the reply to fp-setup message 3.</summary>
    public static readonly byte[] FpHeader = LoadBytes("fp_header.bin", 12);

    /// <summary>Per-step rotation counts of the modified MD5.</summary>
    public static readonly uint[] Md5Shift = LoadWords("md5_shift.bin", 64);

    /// <summary>Per-step additive constants of the modified MD5.</summary>
    public static readonly uint[] Md5SineConstants = LoadWords("md5_sine_constants.bin", 64);

    /// <summary>Initial contents of the SAP hash's 20-byte working buffer.</summary>
    public static readonly byte[] SapHashBuffer0 = LoadBytes("sap_hash_buffer0.bin", 20);

    /// <summary>Initial contents of the SAP hash's 35-byte working buffer.</summary>
    public static readonly byte[] SapHashBuffer2 = LoadBytes("sap_hash_buffer2.bin", 35);

    /// <summary>Initial contents of the SAP hash's 21-byte working buffer.</summary>
    public static readonly byte[] SapHashBuffer4 = LoadBytes("sap_hash_buffer4.bin", 21);

    /// <summary>Word indices of the garble output added into the first 11 SAP hash output bytes.</summary>
    public static readonly uint[] SapHashOutputIndex = LoadWords("sap_hash_i0_index.bin", 11);

    /// <summary>Reads the raw bytes of one embedded table file, e.g. <c>table_s1.bin</c>.</summary>
    public static byte[] ReadResource(string fileName)
    {
        var assembly = typeof(FairPlayTables).Assembly;
        using var stream = assembly.GetManifestResourceStream(ResourcePrefix + fileName)
            ?? throw new InvalidOperationException("Embedded FairPlay table missing: " + fileName);
        var data = new byte[stream.Length];
        stream.ReadExactly(data);
        return data;
    }

    /// <summary>Names of the embedded table files.</summary>
    public static IEnumerable<string> ResourceFileNames()
    {
        Assembly assembly = typeof(FairPlayTables).Assembly;
        return assembly.GetManifestResourceNames()
            .Where(name => name.StartsWith(ResourcePrefix, StringComparison.Ordinal))
            .Select(name => name[ResourcePrefix.Length..]);
    }

    private static byte[] LoadBytes(string fileName, int expectedLength)
    {
        var data = ReadResource(fileName);
        if (data.Length != expectedLength)
        {
            throw new InvalidOperationException(
                $"Embedded FairPlay table {fileName} has {data.Length} bytes, expected {expectedLength}.");
        }

        return data;
    }

    private static uint[] LoadWords(string fileName, int expectedCount)
    {
        var data = LoadBytes(fileName, expectedCount * sizeof(uint));
        var words = new uint[expectedCount];
        for (var i = 0; i < words.Length; i++)
        {
            words[i] = BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(i * sizeof(uint)));
        }

        return words;
    }
}
