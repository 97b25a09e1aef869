using System.Globalization;
using System.Text;
using System.Text.Json;
using Receiver.Core.Plist;

namespace Receiver.Core.Diagnostics;

/// <summary>
/// A property list as the JSON of a protocol capture, and back. Dictionaries, arrays, strings, integers and booleans
/// are plain JSON; the other kinds are tagged objects: <c>{"$real": 1.5}</c>, <c>{"$date": "…"}</c>,
/// <c>{"$uid": 3}</c>, <c>{"$set": […]}</c>, TXT records <c>{"$txt": ["k=v", …]}</c>, null as <c>null</c>, a string
/// longer than <see cref="CaptureLimits.MaxStringLength"/> as <c>{"$truncated": "…", "length": N}</c>. Data is
/// never written: a value whose name marks it as secret (<see cref="CaptureRedaction.IsSecretKey"/>) becomes
/// <c>{"redacted": "key", "length": N}</c>, any other data <c>{"redacted": "data", "length": N}</c>.
/// </summary>
public static class CapturePlistJson
{
    /// <summary>Reads back a redacted value: (its name, its kind, its length) → the value to use instead.</summary>
    public delegate PlistValue Regenerate(string name, string kind, int length);

    /// <summary>Writes <paramref name="value"/> with every secret replaced by its kind and length.</summary>
    public static void Write(Utf8JsonWriter writer, PlistValue value) => Write(writer, value, name: null);

    /// <summary>Reads a value written by <see cref="Write(Utf8JsonWriter, PlistValue)"/>; redacted values come from <paramref name="regenerate"/>.</summary>
    public static PlistValue Read(JsonElement element, Regenerate regenerate) => Read(element, string.Empty, regenerate);

    private static void Write(Utf8JsonWriter writer, PlistValue value, string? name)
    {
        if (name is not null && CaptureRedaction.IsSecretKey(name) && value.Kind is not (PlistValueKind.Boolean or PlistValueKind.Dict or PlistValueKind.Array))
        {
            WriteRedacted(writer, CaptureRedaction.Key, LengthOf(value));
            return;
        }

        switch (value)
        {
            case PlistDict dict:
                writer.WriteStartObject();
                foreach (var (key, item) in dict)
                {
                    writer.WritePropertyName(key);
                    Write(writer, item, key);
                }

                writer.WriteEndObject();
                break;
            case PlistArray array:
                writer.WriteStartArray();
                foreach (var item in array)
                {
                    Write(writer, item, name: null);
                }

                writer.WriteEndArray();
                break;
            case PlistSet set:
                writer.WriteStartObject();
                writer.WriteStartArray("$set");
                foreach (var item in set)
                {
                    Write(writer, item, name: null);
                }

                writer.WriteEndArray();
                writer.WriteEndObject();
                break;
            case PlistString s when s.Value.Length > CaptureLimits.MaxStringLength:
                writer.WriteStartObject();
                writer.WriteString("$truncated", s.Value.AsSpan(0, CaptureLimits.MaxStringLength));
                writer.WriteNumber("length", s.Value.Length);
                writer.WriteEndObject();
                break;
            case PlistString s:
                writer.WriteStringValue(s.Value);
                break;
            case PlistInteger i:
                if (i.IsNegative)
                {
                    writer.WriteNumberValue(i.AsInt64());
                }
                else
                {
                    writer.WriteNumberValue(i.AsUInt64());
                }

                break;
            case PlistBoolean b:
                writer.WriteBooleanValue(b.Value);
                break;
            case PlistReal r:
                writer.WriteStartObject();
                if (double.IsFinite(r.Value))
                {
                    writer.WriteNumber("$real", r.Value);
                }
                else
                {
                    writer.WriteString("$real", r.Value.ToString(CultureInfo.InvariantCulture));
                }

                writer.WriteEndObject();
                break;
            case PlistDate d:
                writer.WriteStartObject();
                writer.WriteString("$date", d.Value.ToString("O", CultureInfo.InvariantCulture));
                writer.WriteEndObject();
                break;
            case PlistUid u:
                writer.WriteStartObject();
                writer.WriteNumber("$uid", u.Value);
                writer.WriteEndObject();
                break;
            case PlistData data when name is not null && CaptureRedaction.IsTxtRecord(name):
                WriteTxt(writer, data.Span);
                break;
            case PlistData data:
                WriteRedacted(writer, CaptureRedaction.Data, data.Length);
                break;
            default:
                writer.WriteNullValue();
                break;
        }
    }

    /// <summary>Writes <c>{"redacted": kind, "length": length}</c>.</summary>
    public static void WriteRedacted(Utf8JsonWriter writer, string kind, int length)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteString("redacted", kind);
        writer.WriteNumber("length", length);
        writer.WriteEndObject();
    }

    /// <summary>A DNS-SD TXT record set: length-prefixed <c>key=value</c> strings; secret values are left out.</summary>
    private static void WriteTxt(Utf8JsonWriter writer, ReadOnlySpan<byte> txt)
    {
        writer.WriteStartObject();
        writer.WriteStartArray("$txt");
        var offset = 0;
        while (offset < txt.Length)
        {
            var length = txt[offset];
            var end = Math.Min(txt.Length, offset + 1 + length);
            var entry = Encoding.UTF8.GetString(txt[(offset + 1)..end]);
            var equals = entry.IndexOf('=', StringComparison.Ordinal);
            var key = equals < 0 ? entry : entry[..equals];
            writer.WriteStringValue(equals >= 0 && CaptureRedaction.IsSecretKey(key)
                ? string.Create(CultureInfo.InvariantCulture, $"{key}=(redacted, {entry.Length - equals - 1} characters)")
                : entry);
            offset = end;
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static int LengthOf(PlistValue value) => value switch
    {
        PlistData d => d.Length,
        PlistString s => s.Value.Length,
        PlistInteger => 8,
        PlistReal => 8,
        PlistDate => 8,
        _ => 0,
    };

    private static PlistValue Read(JsonElement element, string name, Regenerate regenerate)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                return new PlistString(element.GetString()!);
            case JsonValueKind.True:
                return PlistBoolean.From(true);
            case JsonValueKind.False:
                return PlistBoolean.From(false);
            case JsonValueKind.Null:
                return PlistNull.Instance;
            case JsonValueKind.Number:
                return element.TryGetInt64(out var signed) ? new PlistInteger(signed)
                    : element.TryGetUInt64(out var unsigned) ? new PlistInteger(unsigned)
                    : throw new FormatException($"'{name}': {element.GetRawText()} is not a plist integer (reals are written as {{\"$real\": …}}).");
            case JsonValueKind.Array:
                return new PlistArray(element.EnumerateArray().Select(e => Read(e, name, regenerate)).ToArray());
            case JsonValueKind.Object:
                return ReadObject(element, name, regenerate);
            default:
                throw new FormatException($"'{name}': unexpected JSON {element.ValueKind}.");
        }
    }

    private static PlistValue ReadObject(JsonElement element, string name, Regenerate regenerate)
    {
        if (element.TryGetProperty("redacted", out var kind) && kind.ValueKind == JsonValueKind.String && element.TryGetProperty("length", out var length))
        {
            return regenerate(name, kind.GetString()!, length.GetInt32());
        }

        if (element.TryGetProperty("$truncated", out var truncated))
        {
            return new PlistString(truncated.GetString()!);
        }

        if (element.TryGetProperty("$real", out var real))
        {
            return new PlistReal(real.ValueKind == JsonValueKind.String ? double.Parse(real.GetString()!, CultureInfo.InvariantCulture) : real.GetDouble());
        }

        if (element.TryGetProperty("$date", out var date))
        {
            return new PlistDate(DateTimeOffset.Parse(date.GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind));
        }

        if (element.TryGetProperty("$uid", out var uid))
        {
            return new PlistUid(uid.GetUInt64());
        }

        if (element.TryGetProperty("$set", out var set))
        {
            return new PlistSet(set.EnumerateArray().Select(e => Read(e, name, regenerate)).ToArray());
        }

        if (element.TryGetProperty("$txt", out var txt))
        {
            var bytes = new List<byte>();
            foreach (var entry in txt.EnumerateArray())
            {
                var text = Encoding.UTF8.GetBytes(entry.GetString()!);
                bytes.Add((byte)Math.Min(text.Length, 255));
                bytes.AddRange(text.AsSpan(0, Math.Min(text.Length, 255)));
            }

            return new PlistData(bytes.ToArray());
        }

        var dict = new PlistDict();
        foreach (var property in element.EnumerateObject())
        {
            dict[property.Name] = Read(property.Value, property.Name, regenerate);
        }

        return dict;
    }
}
