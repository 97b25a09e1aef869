using System.Buffers.Binary;

namespace Receiver.Core.FairPlay;

/// <summary>
/// Decrypts the 128-byte body (bytes 16..143) of fp-setup message 3 with the white-box cipher keyed by
/// the mode byte (message 3 byte 12). Blocks are chained like CBC: plaintext block k is the decrypted
/// ciphertext block k XORed with ciphertext block k - 1, or with the mode's IV for k = 0.
/// </summary>
internal static class MessageDecryptor
{
    /// <summary>Offset of the encrypted body in message 3.</summary>
    public const int BodyOffset = 16;

    /// <summary>Length of the encrypted body.</summary>
    public const int BodyLength = 128;

    private const int Rounds = 9;

    /// <summary>Decrypts the body of <paramref name="message3"/> into <paramref name="plaintext"/> (128 bytes).</summary>
    public static void Decrypt(ReadOnlySpan<byte> message3, int mode, Span<byte> plaintext)
    {
        if (message3.Length < BodyOffset + BodyLength)
        {
            throw new ArgumentException("Message 3 is too short.", nameof(message3));
        }

        if ((uint)mode > 3)
        {
            throw new ArgumentOutOfRangeException(nameof(mode), mode, "FairPlay mode must be 0..3.");
        }

        if (plaintext.Length != BodyLength)
        {
            throw new ArgumentException("Plaintext buffer must be 128 bytes.", nameof(plaintext));
        }

        var roundKeys = FairPlayTables.MessageKey.AsSpan(mode * 144, 144);
        var iv = FairPlayTables.MessageIv.AsSpan(mode * 16, 16);
        Span<byte> state = stackalloc byte[16];

        for (var block = 0; block < BodyLength / 16; block++)
        {
            var cipherOffset = BodyOffset + (block * 16);
            message3.Slice(cipherOffset, 16).CopyTo(state);
            DecryptBlock(state, roundKeys);

            var chain = block == 0 ? iv : message3.Slice(cipherOffset - 16, 16);
            var output = plaintext.Slice(block * 16, 16);
            for (var i = 0; i < 16; i++)
            {
                output[i] = (byte)(state[i] ^ chain[i]);
            }
        }
    }

    private static void DecryptBlock(Span<byte> state, ReadOnlySpan<byte> roundKeys)
    {
        Span<byte> old = stackalloc byte[16];
        var source = BlockShuffle.Source;
        var s2 = FairPlayTables.S2;
        var s9 = FairPlayTables.S9;

        for (var round = 0; round < Rounds; round++)
        {
            var keyBase = 0x80 - (0x10 * round);
            state.CopyTo(old);
            for (var p = 0; p < 16; p++)
            {
                var box = 97 * (keyBase + p) % 144;
                state[p] = (byte)(s2[(box << 8) + old[source[p]]] ^ roundKeys[keyBase + p]);
            }

            for (var column = 0; column < 16; column += 4)
            {
                var word = s9[state[column]]
                    ^ s9[0x100 + state[column + 1]]
                    ^ s9[0x200 + state[column + 2]]
                    ^ s9[0x300 + state[column + 3]];
                BinaryPrimitives.WriteUInt32LittleEndian(state[column..], word);
            }
        }

        state.CopyTo(old);
        for (var p = 0; p < 16; p++)
        {
            state[p] = FairPlayTables.S10[(p << 8) + old[source[p]]];
        }
    }
}
