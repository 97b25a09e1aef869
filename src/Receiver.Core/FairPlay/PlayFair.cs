namespace Receiver.Core.FairPlay;

/// <summary>
/// FairPlay v3 ("playfair") key decryption: recovers the 16-byte AES session key from a 72-byte
/// <c>ekey</c> using the 164-byte fp-setup message 3 of the same connection. Pure and stateless.
/// </summary>
public static class PlayFair
{
    /// <summary>Length of fp-setup message 3.</summary>
    public const int Message3Length = 164;

    /// <summary>Length of an <c>ekey</c>.</summary>
    public const int EkeyLength = 72;

    /// <summary>Length of the decrypted AES key.</summary>
    public const int AesKeyLength = 16;

    /// <summary>Offset of the mode byte (0..3) in message 3.</summary>
    public const int ModeOffset = 12;

    private const int Chunk1Offset = 16;
    private const int Chunk2Offset = 56;

    /// <summary>
    /// Decrypts <paramref name="ekey"/> (72 bytes) with <paramref name="message3"/> (164 bytes) into
    /// <paramref name="aesKey"/> (16 bytes). Only message 3 bytes 12 and 16..143 and ekey bytes 16..31
    /// and 56..71 affect the result.
    /// </summary>
    /// <exception cref="ArgumentException">A buffer has the wrong length.</exception>
    /// <exception cref="FairPlayException">The mode byte of message 3 is not 0..3.</exception>
    public static void Decrypt(ReadOnlySpan<byte> message3, ReadOnlySpan<byte> ekey, Span<byte> aesKey)
    {
        if (message3.Length != Message3Length)
        {
            throw new ArgumentException($"Message 3 must be {Message3Length} bytes, got {message3.Length}.", nameof(message3));
        }

        if (ekey.Length != EkeyLength)
        {
            throw new ArgumentException($"ekey must be {EkeyLength} bytes, got {ekey.Length}.", nameof(ekey));
        }

        if (aesKey.Length != AesKeyLength)
        {
            throw new ArgumentException($"AES key buffer must be {AesKeyLength} bytes, got {aesKey.Length}.", nameof(aesKey));
        }

        var mode = message3[ModeOffset];
        if (mode > 3)
        {
            throw new FairPlayException($"FairPlay message 3 mode byte is {mode}; only modes 0..3 are supported.");
        }

        Span<byte> sessionKey = stackalloc byte[16];
        Span<byte> schedule = stackalloc byte[KeySchedule.Size];
        Span<byte> block = stackalloc byte[16];
        SessionKeyGenerator.Generate(message3, sessionKey);
        KeySchedule.Expand(sessionKey, schedule);

        var chunk1 = ekey.Slice(Chunk1Offset, 16);
        var chunk2 = ekey.Slice(Chunk2Offset, 16);
        var zKey = FairPlayTables.ZKey;
        var xKey = FairPlayTables.XKey;
        for (var i = 0; i < 16; i++)
        {
            block[i] = (byte)(chunk2[i] ^ zKey[i]);
        }

        WhiteBoxCipher.Cycle(block, schedule);
        for (var i = 0; i < 16; i++)
        {
            aesKey[i] = (byte)(block[i] ^ chunk1[i] ^ xKey[i] ^ zKey[i]);
        }

        sessionKey.Clear();
        schedule.Clear();
    }
}
