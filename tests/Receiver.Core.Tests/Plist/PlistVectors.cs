using System.Buffers.Binary;
using System.Globalization;
using System.Text.Json;
using Receiver.Core.Plist;

namespace Receiver.Core.Tests.Plist;

/// <summary>The plist vectors in shared/vectors/plist: each file has a JSON sidecar with the expected tree.</summary>
internal static class PlistVectors
{
    public static string Folder => Path.Combine(TestPaths.Vectors, "plist");

    public static IEnumerable<object[]> Accepted => Names("*.bplist", "accept");

    public static IEnumerable<object[]> Rejected => Names("*.bplist", "reject");

    public static IEnumerable<object[]> AcceptedXml => Names("*.plist", "accept");

    public static byte[] Bytes(string file) => File.ReadAllBytes(Path.Combine(Folder, file));

    public static JsonDocument Sidecar(string file)
        => JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder, Path.ChangeExtension(file, ".json"))));

    /// <summary>Asserts that <paramref name="actual"/> is exactly the tree the JSON rendering describes.</summary>
    public static void AssertMatches(JsonElement expected, PlistValue actual, string path)
    {
        string type = expected.GetProperty("type").GetString()!;
        var value = expected.TryGetProperty("value", out var v) ? v : default;
        switch (type)
        {
            case "int":
                var integer = Assert.IsType<PlistInteger>(actual);
                Assert.True(Int128.Parse(value.GetString()!, CultureInfo.InvariantCulture) == integer.Value, $"{path}: {integer.Value} != {value}");
                break;
            case "string":
                var s = Assert.IsType<PlistString>(actual);
                Assert.Equal(value.GetString(), s.Value);
                if (expected.TryGetProperty("encoding", out var encoding))
                {
                    Assert.True((encoding.GetString() == "ascii") == s.IsAscii, $"{path}: encoding {encoding} vs content");
                }

                break;
            case "bool":
                Assert.Equal(value.GetBoolean(), Assert.IsType<PlistBoolean>(actual).Value);
                break;
            case "data":
                Assert.Equal(Convert.FromBase64String(expected.GetProperty("base64").GetString()!), Assert.IsType<PlistData>(actual).ToArray());
                break;
            case "real":
                var real = Assert.IsType<PlistReal>(actual);
                string bits = expected.GetProperty("bits").GetString()!;
                if (bits.Length == 8)
                {
                    Assert.True(real.IsSinglePrecision, $"{path}: expected a 4-byte real");
                    Assert.Equal(uint.Parse(bits, NumberStyles.HexNumber, CultureInfo.InvariantCulture), BitConverter.SingleToUInt32Bits((float)real.Value));
                }
                else
                {
                    Assert.False(real.IsSinglePrecision, $"{path}: expected an 8-byte real");
                    Assert.Equal(ulong.Parse(bits, NumberStyles.HexNumber, CultureInfo.InvariantCulture), BitConverter.DoubleToUInt64Bits(real.Value));
                }

                break;
            case "date":
                var date = Assert.IsType<PlistDate>(actual);
                Assert.Equal(
                    ulong.Parse(expected.GetProperty("bits").GetString()!, NumberStyles.HexNumber, CultureInfo.InvariantCulture),
                    BitConverter.DoubleToUInt64Bits(date.SecondsSinceReference));
                Assert.Equal(DateTimeOffset.Parse(expected.GetProperty("iso").GetString()!, CultureInfo.InvariantCulture), date.Value);
                break;
            case "uid":
                Assert.Equal(ulong.Parse(value.GetString()!, CultureInfo.InvariantCulture), Assert.IsType<PlistUid>(actual).Value);
                break;
            case "null":
                Assert.IsType<PlistNull>(actual);
                break;
            case "array":
            case "set":
                IReadOnlyList<PlistValue> list = type == "array" ? Assert.IsType<PlistArray>(actual) : Assert.IsType<PlistSet>(actual);
                Assert.Equal(value.GetArrayLength(), list.Count);
                int i = 0;
                foreach (var item in value.EnumerateArray())
                {
                    AssertMatches(item, list[i], $"{path}[{i}]");
                    i++;
                }

                break;
            case "dict":
                var dict = Assert.IsType<PlistDict>(actual);
                var properties = value.EnumerateObject().ToList();
                Assert.Equal(properties.Select(p => p.Name), dict.Keys);
                foreach (var property in properties)
                {
                    AssertMatches(property.Value, dict[property.Name], $"{path}.{property.Name}");
                }

                break;
            default:
                Assert.Fail($"{path}: unknown JSON type '{type}'");
                break;
        }
    }

    /// <summary>A binary plist assembled from raw object encodings (for malformed and hostile layouts).</summary>
    public static byte[] Build(IReadOnlyList<byte[]> objects, int refSize, int offsetSize, int top = 0)
    {
        using var stream = new MemoryStream();
        stream.Write("bplist00"u8);
        var offsets = new List<long>();
        foreach (var obj in objects)
        {
            offsets.Add(stream.Position);
            stream.Write(obj);
        }

        long table = stream.Position;
        Span<byte> wide = stackalloc byte[8];
        foreach (long offset in offsets)
        {
            BinaryPrimitives.WriteUInt64BigEndian(wide, (ulong)offset);
            stream.Write(wide[(8 - offsetSize)..]);
        }

        Span<byte> trailer = stackalloc byte[32];
        trailer.Clear();
        trailer[6] = (byte)offsetSize;
        trailer[7] = (byte)refSize;
        BinaryPrimitives.WriteUInt64BigEndian(trailer[8..], (ulong)objects.Count);
        BinaryPrimitives.WriteUInt64BigEndian(trailer[16..], (ulong)top);
        BinaryPrimitives.WriteUInt64BigEndian(trailer[24..], (ulong)table);
        stream.Write(trailer);
        return stream.ToArray();
    }

    private static IEnumerable<object[]> Names(string pattern, string expect)
    {
        foreach (var path in Directory.EnumerateFiles(Folder, pattern).OrderBy(p => p, StringComparer.Ordinal))
        {
            string file = Path.GetFileName(path);
            using var sidecar = Sidecar(file);
            if (sidecar.RootElement.GetProperty("expect").GetString() == expect)
            {
                yield return [file];
            }
        }
    }
}
