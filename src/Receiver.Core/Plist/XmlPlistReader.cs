using System.Globalization;
using System.Xml;

namespace Receiver.Core.Plist;

/// <summary>Streaming XML plist decoder with depth and value-count caps.</summary>
internal sealed class XmlPlistReader
{
    private static readonly string[] DateFormats =
    [
        "yyyy-MM-dd'T'HH:mm:ss'Z'",
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'",
        "yyyy-MM-dd'T'HH:mm'Z'",
        "yyyy-MM-dd'T'HH'Z'",
        "yyyy-MM-dd'Z'",
        "yyyy-MM'Z'",
        "yyyy'Z'",
    ];

    private readonly XmlReader reader;
    private readonly PlistLimits limits;
    private int values;
    private int depth;

    private XmlPlistReader(XmlReader reader, PlistLimits limits)
    {
        this.reader = reader;
        this.limits = limits;
    }

    public static PlistValue Read(Stream input, PlistLimits limits)
    {
        try
        {
            using var xml = XmlReader.Create(input, Settings(limits));
            return new XmlPlistReader(xml, limits).ReadDocument();
        }
        catch (XmlException e)
        {
            throw new PlistFormatException("Invalid XML plist: " + e.Message, e);
        }
    }

    public static PlistValue Read(TextReader input, PlistLimits limits)
    {
        try
        {
            using var xml = XmlReader.Create(input, Settings(limits));
            return new XmlPlistReader(xml, limits).ReadDocument();
        }
        catch (XmlException e)
        {
            throw new PlistFormatException("Invalid XML plist: " + e.Message, e);
        }
    }

    private static XmlReaderSettings Settings(PlistLimits limits) => new()
    {
        DtdProcessing = DtdProcessing.Ignore,
        XmlResolver = null,
        MaxCharactersInDocument = limits.MaxBytes,
        MaxCharactersFromEntities = 1024,
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
        IgnoreWhitespace = false,
        CloseInput = false,
    };

    private static PlistFormatException Fail(string reason) => new("Invalid XML plist: " + reason + ".");

    private PlistValue ReadDocument()
    {
        if (reader.MoveToContent() != XmlNodeType.Element || reader.LocalName != "plist")
        {
            throw Fail($"the root element must be <plist>, found {reader.NodeType} '{reader.LocalName}'");
        }

        if (reader.IsEmptyElement)
        {
            throw Fail("<plist> holds no value");
        }

        reader.Read();
        if (!MoveToChild())
        {
            throw Fail("<plist> holds no value");
        }

        var root = ReadValue();
        if (MoveToChild())
        {
            throw Fail($"<plist> holds more than one value (found <{reader.LocalName}>)");
        }

        reader.Read();
        while (reader.Read())
        {
            if (reader.NodeType is XmlNodeType.Element or XmlNodeType.Text or XmlNodeType.CDATA)
            {
                throw Fail("content after </plist>");
            }
        }

        return root;
    }

    /// <summary>Skips whitespace and comments; true on a start element, false on an end element.</summary>
    private bool MoveToChild()
    {
        var type = reader.MoveToContent();
        return type switch
        {
            XmlNodeType.Element => true,
            XmlNodeType.EndElement => false,
            _ => throw Fail($"unexpected {type} content '{Shorten(reader.Value)}' inside a container"),
        };
    }

    private PlistValue ReadValue()
    {
        if (++values > limits.MaxObjects)
        {
            throw Fail($"more than {limits.MaxObjects} values");
        }

        string name = reader.LocalName;
        switch (name)
        {
            case "dict":
                return ReadDict();
            case "array":
                return ReadArray();
            case "string":
                return new PlistString(reader.ReadElementContentAsString());
            case "integer":
                return ParseInteger(reader.ReadElementContentAsString().Trim());
            case "real":
                return new PlistReal(ParseReal(reader.ReadElementContentAsString().Trim()));
            case "true":
            case "false":
                if (reader.ReadElementContentAsString().Trim().Length != 0)
                {
                    throw Fail($"<{name}/> must be empty");
                }

                return PlistBoolean.From(name == "true");
            case "data":
                return ParseData(reader.ReadElementContentAsString());
            case "date":
                return ParseDate(reader.ReadElementContentAsString().Trim());
            default:
                throw Fail($"unknown element <{name}>");
        }
    }

    private PlistDict ReadDict()
    {
        var dict = new PlistDict();
        if (EnterContainer())
        {
            while (MoveToChild())
            {
                if (reader.LocalName != "key")
                {
                    throw Fail($"expected <key> in <dict>, found <{reader.LocalName}>");
                }

                string key = reader.ReadElementContentAsString();
                if (!MoveToChild())
                {
                    throw Fail($"key '{Shorten(key)}' has no value");
                }

                dict.SetDecoded(key, ReadValue());
            }

            LeaveContainer();
        }

        return dict.Freeze();
    }

    private PlistArray ReadArray()
    {
        var items = new List<PlistValue>();
        if (EnterContainer())
        {
            while (MoveToChild())
            {
                items.Add(ReadValue());
            }

            LeaveContainer();
        }

        return PlistArray.TakeOwnership(items);
    }

    /// <summary>Steps into a container element; false (and stepped past it) when it is empty.</summary>
    private bool EnterContainer()
    {
        if (depth + 1 > limits.MaxDepth)
        {
            throw Fail($"containers nest deeper than the limit of {limits.MaxDepth}");
        }

        bool empty = reader.IsEmptyElement;
        reader.Read();
        if (empty)
        {
            return false;
        }

        depth++;
        return true;
    }

    private void LeaveContainer()
    {
        depth--;
        reader.Read();
    }

    private static PlistInteger ParseInteger(string text)
    {
        Int128 value = 0;
        bool ok;
        if (text.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            ok = ulong.TryParse(text.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out ulong hex);
            value = hex;
        }
        else
        {
            ok = Int128.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);
        }

        if (!ok || value < PlistInteger.MinValue || value > PlistInteger.MaxValue)
        {
            throw Fail($"'{Shorten(text)}' is not an integer in -2^63 .. 2^64-1");
        }

        return new PlistInteger(value);
    }

    private static double ParseReal(string text)
    {
        switch (text.ToUpperInvariant())
        {
            case "NAN":
            case "+NAN":
            case "-NAN":
                return double.NaN;
            case "INF":
            case "+INF":
            case "INFINITY":
            case "+INFINITY":
                return double.PositiveInfinity;
            case "-INF":
            case "-INFINITY":
                return double.NegativeInfinity;
        }

        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value))
        {
            throw Fail($"'{Shorten(text)}' is not a real number");
        }

        return value;
    }

    private static PlistData ParseData(string text)
    {
        try
        {
            return PlistData.TakeOwnership(Convert.FromBase64String(text));
        }
        catch (FormatException e)
        {
            throw new PlistFormatException("Invalid XML plist: <data> is not base64.", e);
        }
    }

    private static PlistDate ParseDate(string text)
    {
        if (!DateTimeOffset.TryParseExact(
                text,
                DateFormats,
                CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal,
                out var date))
        {
            throw Fail($"'{Shorten(text)}' is not an ISO 8601 UTC date");
        }

        return new PlistDate(date);
    }

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "...";
}
