namespace Receiver.Core.FairPlay;

/// <summary>
/// FairPlay v3 state of one control connection (or one legacy port-7100 connection): answers the
/// two <c>POST /fp-setup</c> messages and keeps message 3 for decrypting the <c>ekey</c> sent in SETUP.
/// Not thread-safe; a connection processes its requests one at a time.
/// </summary>
public sealed class FairPlaySetup
{
    /// <summary>Length of fp-setup message 1.</summary>
    public const int Message1Length = 16;

    /// <summary>Length of the reply to message 1.</summary>
    public const int Reply1Length = 142;

    /// <summary>Length of the reply to message 3.</summary>
    public const int Reply3Length = 32;

    private const int VersionOffset = 4;
    private const int Message1ModeOffset = 14;
    private const int SupportedVersion = 3;
    private const int HeaderLength = 12;
    private const int EchoOffset = 144;
    private const int EchoLength = 20;

    private byte[]? message3;

    /// <summary>The mode (0..3) announced by message 1, or null before message 1.</summary>
    public int? Mode { get; private set; }

    /// <summary>True once message 3 has been received (and no later message 1 has reset it).</summary>
    public bool HasMessage3 => message3 is not null;

    /// <summary>
    /// Handles one <c>POST /fp-setup</c> body: message 1 (16 bytes) yields the 142-byte reply for its
    /// mode and forgets any stored message 3; message 3 (164 bytes) is stored and yields the 32-byte reply.
    /// </summary>
    /// <exception cref="FairPlayException">The body has another length or invalid content.</exception>
    public byte[] ProcessMessage(ReadOnlySpan<byte> request)
    {
        return request.Length switch
        {
            Message1Length => ProcessMessage1(request),
            PlayFair.Message3Length => ProcessMessage3(request),
            _ => throw new FairPlayException(
                $"fp-setup body must be {Message1Length} or {PlayFair.Message3Length} bytes, got {request.Length}."),
        };
    }

    /// <summary>Decrypts a 72-byte <c>ekey</c> into the 16-byte AES key using the stored message 3.</summary>
    /// <exception cref="FairPlayException">
    /// The ekey has the wrong length or magic, or no message 3 has been received.
    /// </exception>
    public byte[] DecryptKey(ReadOnlySpan<byte> ekey)
    {
        if (ekey.Length != PlayFair.EkeyLength)
        {
            throw new FairPlayException($"ekey must be {PlayFair.EkeyLength} bytes, got {ekey.Length}.");
        }

        CheckMagic(ekey, "ekey");
        var stored = message3
            ?? throw new FairPlayException("Cannot decrypt ekey: fp-setup message 3 has not been received on this connection.");

        var aesKey = new byte[PlayFair.AesKeyLength];
        PlayFair.Decrypt(stored, ekey, aesKey);
        return aesKey;
    }

    private byte[] ProcessMessage1(ReadOnlySpan<byte> request)
    {
        CheckMagic(request, "fp-setup message 1");
        CheckVersion(request, "fp-setup message 1");
        int mode = request[Message1ModeOffset];
        if (mode > 3)
        {
            throw new FairPlayException($"fp-setup message 1 mode (byte {Message1ModeOffset}) is {mode}; only modes 0..3 are supported.");
        }

        Mode = mode;
        message3 = null;
        return FairPlayTables.ReplyMessage.AsSpan(mode * Reply1Length, Reply1Length).ToArray();
    }

    private byte[] ProcessMessage3(ReadOnlySpan<byte> request)
    {
        CheckMagic(request, "fp-setup message 3");
        CheckVersion(request, "fp-setup message 3");
        int mode = request[PlayFair.ModeOffset];
        if (mode > 3)
        {
            throw new FairPlayException($"fp-setup message 3 mode (byte {PlayFair.ModeOffset}) is {mode}; only modes 0..3 are supported.");
        }

        message3 = request.ToArray();
        var reply = new byte[Reply3Length];
        FairPlayTables.FpHeader.CopyTo(reply, 0);
        request.Slice(EchoOffset, EchoLength).CopyTo(reply.AsSpan(HeaderLength));
        return reply;
    }

    private static void CheckMagic(ReadOnlySpan<byte> data, string what)
    {
        if (!data.StartsWith("FPLY"u8))
        {
            throw new FairPlayException($"{what} does not start with the FPLY magic (got {Convert.ToHexStringLower(data[..4])}).");
        }
    }

    private static void CheckVersion(ReadOnlySpan<byte> request, string what)
    {
        if (request[VersionOffset] != SupportedVersion)
        {
            throw new FairPlayException(
                $"{what} FairPlay version (byte {VersionOffset}) is {request[VersionOffset]}; only version {SupportedVersion} is supported.");
        }
    }
}
