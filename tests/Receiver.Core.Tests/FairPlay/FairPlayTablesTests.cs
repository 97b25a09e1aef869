using System.Security.Cryptography;
using System.Text.Json;
using Receiver.Core.FairPlay;

namespace Receiver.Core.Tests.FairPlay;

public sealed class FairPlayTablesTests
{
    public static TheoryData<string> ManifestFiles
    {
        get
        {
            var data = new TheoryData<string>();
            foreach (var table in ManifestTables())
            {
                data.Add(table.GetProperty("file").GetString()!);
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(ManifestFiles))]
    public void EmbeddedTable_MatchesManifestLengthAndSha256(string file)
    {
        var table = ManifestTables().Single(t => t.GetProperty("file").GetString() == file);

        var data = FairPlayTables.ReadResource(file);

        Assert.Equal(table.GetProperty("byte_length").GetInt64(), data.Length);
        Assert.Equal(table.GetProperty("sha256").GetString(), Convert.ToHexStringLower(SHA256.HashData(data)));
    }

    [Fact]
    public void EmbeddedTables_AreExactlyTheManifestFiles()
    {
        var expected = ManifestTables().Select(t => t.GetProperty("file").GetString()!).Order(StringComparer.Ordinal);

        Assert.Equal(expected, FairPlayTables.ResourceFileNames().Order(StringComparer.Ordinal));
    }

    [Fact]
    public void WordTables_AreDecodedLittleEndian()
    {
        var raw = FairPlayTables.ReadResource("table_s9.bin");

        Assert.Equal(1024, FairPlayTables.S9.Length);
        Assert.Equal((uint)(raw[4] | (raw[5] << 8) | (raw[6] << 16) | (raw[7] << 24)), FairPlayTables.S9[1]);
        Assert.Equal([7u, 12u, 17u, 22u], FairPlayTables.Md5Shift.Take(4));
        Assert.Equal(0xD76AA478u, FairPlayTables.Md5SineConstants[0]);
    }

    private static IReadOnlyList<JsonElement> ManifestTables()
    {
        var path = Path.Combine(TestPaths.Shared, "fairplay-tables", "manifest.json");
        using var document = JsonDocument.Parse(File.ReadAllBytes(path));
        return [.. document.RootElement.GetProperty("tables").EnumerateArray().Select(t => t.Clone())];
    }
}
