using System.Text.Json;

namespace Receiver.Sender.Sessions;

/// <summary>
/// One recorded FairPlay exchange the sender replays: message 1 (16 bytes, carrying the mode), the 142-byte reply
/// the receiver must give, message 3 (164 bytes), the <c>ekey</c> for SETUP and the AES key it decrypts to.
/// </summary>
public sealed record FairPlayCase(string Id, int Mode, byte[] Message1, byte[] ExpectedReply1, byte[] Message3, byte[] Ekey, byte[] AesKey)
{
    private static readonly byte[] Reply3Header = [0x46, 0x50, 0x4c, 0x59, 0x03, 0x01, 0x04, 0x00, 0x00, 0x00, 0x00, 0x14];

    /// <summary>Throws a <see cref="SenderStepException"/> for step <c>fp-setup-1</c> unless <paramref name="reply"/> is the expected 142 bytes.</summary>
    public void CheckReply1(byte[] reply) => SenderStepException.ThrowUnless(
        "fp-setup-1", reply.AsSpan().SequenceEqual(ExpectedReply1), $"the {reply.Length}-byte reply differs from the expected 142-byte reply for mode {Mode}");

    /// <summary>Throws for step <c>fp-setup-3</c> unless <paramref name="reply"/> is the fixed 12-byte header plus message 3's bytes 144..163.</summary>
    public void CheckReply3(byte[] reply) => SenderStepException.ThrowUnless(
        "fp-setup-3", reply.AsSpan().SequenceEqual([.. Reply3Header, .. Message3.AsSpan(144)]), $"the {reply.Length}-byte reply is not the 12-byte header plus message bytes 144..163");

    /// <summary>Loads case <paramref name="id"/> from the <c>ekey_decrypt</c> (or <c>ekey_decrypt_captured</c>) list of a fairplay.json file.</summary>
    public static FairPlayCase Load(string path, string id)
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(path));
        var root = document.RootElement;
        var entry = FindCase(root, "ekey_decrypt", id) ?? FindCase(root, "ekey_decrypt_captured", id)
            ?? throw new ArgumentException($"FairPlay case '{id}' is not in {path}.", nameof(id));
        var mode = entry.GetProperty("mode").GetInt32();
        JsonElement? setup1 = null;
        foreach (var candidate in root.GetProperty("fp_setup_1").EnumerateArray())
        {
            if (candidate.GetProperty("mode").GetInt32() == mode)
            {
                setup1 = candidate;
            }
        }

        if (setup1 is not { } message1)
        {
            throw new ArgumentException($"No fp_setup_1 entry for mode {mode} in {path}.", nameof(path));
        }

        return new FairPlayCase(
            id,
            mode,
            Hex(message1, "request"),
            Hex(message1, "reply"),
            Hex(entry, "message3"),
            Hex(entry, "ekey"),
            Hex(entry, "aeskey"));
    }

    private static JsonElement? FindCase(JsonElement root, string list, string id)
    {
        if (!root.TryGetProperty(list, out var cases))
        {
            return null;
        }

        foreach (var entry in cases.EnumerateArray())
        {
            if (entry.GetProperty("id").GetString() == id)
            {
                return entry;
            }
        }

        return null;
    }

    private static byte[] Hex(JsonElement element, string name) => Convert.FromHexString(element.GetProperty(name).GetString()!);
}
