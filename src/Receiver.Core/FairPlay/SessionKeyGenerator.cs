using System.Buffers.Binary;

namespace Receiver.Core.FairPlay;

/// <summary>
/// Derives the 16-byte session key from fp-setup message 3: the decrypted message body is framed with
/// fixed bytes into a 320-byte buffer, which is hashed in five 64-byte blocks with
/// <see cref="ModifiedMd5"/> and <see cref="SapHash"/>.
/// </summary>
internal static class SessionKeyGenerator
{
    private const int HashedLength = 320;
    private const int BlockLength = 64;

    /// <summary>Derives the session key for <paramref name="message3"/> (164 bytes) into <paramref name="sessionKey"/> (16 bytes).</summary>
    public static void Generate(ReadOnlySpan<byte> message3, Span<byte> sessionKey)
    {
        if (message3.Length != PlayFair.Message3Length)
        {
            throw new ArgumentException($"Message 3 must be {PlayFair.Message3Length} bytes.", nameof(message3));
        }

        if (sessionKey.Length != 16)
        {
            throw new ArgumentException("Session key must be 16 bytes.", nameof(sessionKey));
        }

        Span<byte> hashed = stackalloc byte[HashedLength];
        FairPlayTables.StaticSource1.CopyTo(hashed);
        MessageDecryptor.Decrypt(message3, message3[PlayFair.ModeOffset], hashed.Slice(0x11, MessageDecryptor.BodyLength));
        FairPlayTables.DefaultSap.AsSpan(0x80, 0x80).CopyTo(hashed[0x91..]);
        FairPlayTables.StaticSource2.CopyTo(hashed[0x111..]);

        // The accumulator is four little-endian words; each round adds the modified MD5 of the block
        // (chained from the accumulator) to the SAP hash of the block, word by word modulo 2^32.
        Span<byte> accumulator = stackalloc byte[16];
        Span<byte> md5 = stackalloc byte[16];
        FairPlayTables.InitialSessionKey.CopyTo(accumulator);
        for (var offset = 0; offset < HashedLength; offset += BlockLength)
        {
            var block = hashed.Slice(offset, BlockLength);
            ModifiedMd5.Compute(block, accumulator, md5);
            SapHash.Compute(block, accumulator);
            for (var i = 0; i < 16; i += 4)
            {
                var word = unchecked(BinaryPrimitives.ReadUInt32LittleEndian(accumulator[i..])
                    + BinaryPrimitives.ReadUInt32LittleEndian(md5[i..]));
                BinaryPrimitives.WriteUInt32LittleEndian(accumulator[i..], word);
            }
        }

        // Output: each word's bytes reversed, then XORed with 0x79.
        for (var i = 0; i < 16; i += 4)
        {
            var word = BinaryPrimitives.ReadUInt32BigEndian(accumulator[i..]);
            BinaryPrimitives.WriteUInt32LittleEndian(sessionKey[i..], word ^ 0x79797979u);
        }
    }
}
