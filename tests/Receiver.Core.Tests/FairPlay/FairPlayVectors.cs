using System.Text.Json;

namespace Receiver.Core.Tests.FairPlay;

/// <summary>The cases of the shared <c>vectors/fairplay.json</c>, keyed by a readable case id.</summary>
internal static class FairPlayVectors
{
    private static readonly Lazy<JsonElement> Root = new(Load);

    public static IReadOnlyList<JsonElement> Section(string name) => [.. Root.Value.GetProperty(name).EnumerateArray()];

    public static byte[] Bytes(JsonElement element, string property) =>
        Convert.FromHexString(element.GetProperty(property).GetString()!);

    public static long Integer(JsonElement element, string property) => element.GetProperty(property).GetInt64();

    /// <summary>Case id: the entry's <c>id</c>, else built from its mode, source or variant and its position.</summary>
    public static string CaseId(string section, int index)
    {
        var entry = Section(section)[index];
        if (entry.TryGetProperty("id", out var id))
        {
            return id.GetString()!;
        }

        var parts = new List<string> { section, index.ToString("D2", System.Globalization.CultureInfo.InvariantCulture) };
        if (entry.TryGetProperty("mode", out var mode))
        {
            parts.Add("mode-" + mode.GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        if (entry.TryGetProperty("variant_of", out var variant))
        {
            parts.Add("variant-of-" + variant.GetString());
        }

        if (entry.TryGetProperty("source", out _))
        {
            parts.Add("captured");
        }

        return string.Join('-', parts);
    }

    public static TheoryData<string> CaseIds(string section)
    {
        var data = new TheoryData<string>();
        var count = Section(section).Count;
        for (var i = 0; i < count; i++)
        {
            data.Add(CaseId(section, i));
        }

        return data;
    }

    public static JsonElement Case(string section, string caseId)
    {
        var entries = Section(section);
        for (var i = 0; i < entries.Count; i++)
        {
            if (CaseId(section, i) == caseId)
            {
                return entries[i];
            }
        }

        throw new InvalidOperationException($"Case {caseId} not found in {section}.");
    }

    private static JsonElement Load()
    {
        var path = Path.Combine(TestPaths.Vectors, "fairplay.json");
        using var document = JsonDocument.Parse(File.ReadAllBytes(path));
        return document.RootElement.Clone();
    }
}
