using System.Text.Json;

namespace Receiver.Web.Tests.Infrastructure;

/// <summary>A recorded FairPlay exchange from the shared vectors: what a sender posts and the key the receiver must recover.</summary>
public sealed record FairPlayCase(int Mode, byte[] Message1, byte[] Reply1, byte[] Message3, byte[] Ekey, byte[] AesKey)
{
    private static readonly Lazy<JsonElement> Root = new(() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(TestPaths.Vectors, "fairplay.json"))).RootElement);

    public static FairPlayCase Get(string id = "gen-00")
    {
        var root = Root.Value;
        var keyCase = root.GetProperty("ekey_decrypt").EnumerateArray().First(c => c.GetProperty("id").GetString() == id);
        var mode = keyCase.GetProperty("mode").GetInt32();
        var setup = root.GetProperty("fp_setup_1").EnumerateArray().First(c => c.GetProperty("mode").GetInt32() == mode);
        return new FairPlayCase(
            mode,
            Hex(setup, "request"),
            Hex(setup, "reply"),
            Hex(keyCase, "message3"),
            Hex(keyCase, "ekey"),
            Hex(keyCase, "aeskey"));
    }

    private static byte[] Hex(JsonElement element, string name) => Convert.FromHexString(element.GetProperty(name).GetString()!);
}
