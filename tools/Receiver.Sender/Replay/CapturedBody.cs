using System.Text.Json;

namespace Receiver.Sender.Replay;

/// <summary>How a capture recorded a request body.</summary>
public enum CapturedBodyKind
{
    None,

    /// <summary>A property list, decoded to JSON (<see cref="CapturedBody.Plist"/>).</summary>
    Plist,

    /// <summary>Text, kept whole (up to 1 KiB).</summary>
    Text,

    /// <summary>Opaque bytes: the length and the first bytes in hex.</summary>
    Hex,

    /// <summary>A secret (FairPlay, pairing) replaced by its kind and length.</summary>
    Redacted,
}

/// <summary>One request body as a capture holds it.</summary>
public sealed record CapturedBody(CapturedBodyKind Kind, int Length, JsonElement Plist = default, bool XmlPlist = false, string? Text = null, byte[]? Prefix = null, string? RedactedKind = null)
{
    public static CapturedBody None { get; } = new(CapturedBodyKind.None, 0);

    /// <summary>Reads a capture's <c>body</c> object (absent: no body).</summary>
    public static CapturedBody Read(JsonElement request)
    {
        if (!request.TryGetProperty("body", out var body))
        {
            return None;
        }

        var length = body.TryGetProperty("length", out var l) ? l.GetInt32() : 0;
        if (body.TryGetProperty("redacted", out var redacted))
        {
            return new CapturedBody(CapturedBodyKind.Redacted, length, RedactedKind: redacted.GetString());
        }

        if (body.TryGetProperty("plist", out var plist))
        {
            var xml = body.TryGetProperty("format", out var format) && format.GetString() == "xml";
            return new CapturedBody(CapturedBodyKind.Plist, length, plist.Clone(), xml);
        }

        if (body.TryGetProperty("text", out var text))
        {
            return new CapturedBody(CapturedBodyKind.Text, length, Text: text.GetString());
        }

        if (body.TryGetProperty("hex", out var hex))
        {
            return new CapturedBody(CapturedBodyKind.Hex, length, Prefix: Convert.FromHexString(hex.GetString() ?? string.Empty));
        }

        throw new FormatException("a body with neither plist, text, hex nor redacted");
    }
}
