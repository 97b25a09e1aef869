using System.Text;

namespace Receiver.Core.Plist;

/// <summary>
/// Reads and writes XML property lists (<c>&lt;plist version="1.0"&gt;</c>). The reader ignores the DOCTYPE, resolves
/// no external resources and expands no entities beyond the XML built-ins. XML cannot hold null, set or UID
/// values; writing them throws <see cref="ArgumentException"/>.
/// </summary>
public static class XmlPlist
{
    /// <summary>Decodes an XML plist from UTF-8 (or any encoding its XML declaration names).</summary>
    public static PlistValue Read(ReadOnlySpan<byte> utf8, PlistLimits? limits = null)
    {
        limits ??= PlistLimits.Default;
        if (utf8.Length > limits.MaxBytes)
        {
            throw new PlistFormatException($"Invalid XML plist: {utf8.Length} bytes exceed the {limits.MaxBytes}-byte limit.");
        }

        using var stream = new MemoryStream(utf8.ToArray(), writable: false);
        return XmlPlistReader.Read(stream, limits);
    }

    /// <summary>Decodes an XML plist from text.</summary>
    public static PlistValue Read(string xml, PlistLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(xml);
        limits ??= PlistLimits.Default;
        if (xml.Length > limits.MaxBytes)
        {
            throw new PlistFormatException($"Invalid XML plist: {xml.Length} characters exceed the {limits.MaxBytes} limit.");
        }

        using var reader = new StringReader(xml);
        return XmlPlistReader.Read(reader, limits);
    }

    /// <summary>Encodes <paramref name="root"/> as UTF-8 XML (no byte-order mark).</summary>
    public static byte[] Write(PlistValue root)
    {
        ArgumentNullException.ThrowIfNull(root);
        using var stream = new MemoryStream();
        XmlPlistWriter.Write(root, stream);
        return stream.ToArray();
    }

    /// <summary>Encodes <paramref name="root"/> as XML text.</summary>
    public static string WriteString(PlistValue root) => Encoding.UTF8.GetString(Write(root));
}
