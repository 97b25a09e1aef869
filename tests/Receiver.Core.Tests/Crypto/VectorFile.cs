using System.Text.Json;

namespace Receiver.Core.Tests.Crypto;

/// <summary>Loads a JSON vector file from the shared vectors folder and reads its hex fields.</summary>
internal static class VectorFile
{
    public static JsonElement Load(string name)
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(TestPaths.Vectors, name)));
        return document.RootElement.Clone();
    }

    public static byte[] Hex(this JsonElement element, string property) =>
        Convert.FromHexString(element.GetProperty(property).GetString()!);

    public static bool IsNull(this JsonElement element, string property) =>
        element.GetProperty(property).ValueKind == JsonValueKind.Null;

    public static IEnumerable<object[]> CaseIds(string file, string array = "cases") =>
        Load(file).GetProperty(array).EnumerateArray().Select(c => new object[] { c.GetProperty("id").GetString()! });

    public static JsonElement Case(string file, string id, string array = "cases") =>
        Load(file).GetProperty(array).EnumerateArray().Single(c => c.GetProperty("id").GetString() == id);
}
