using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Xml;

namespace Receiver.Core.Plist;

/// <summary>Writes the XML plist layout Apple's tools produce (tab indentation, the Apple DOCTYPE).</summary>
internal static class XmlPlistWriter
{
    private static readonly byte[] Prolog = Encoding.UTF8.GetBytes(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        + "<!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\" \"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">\n");

    public static void Write(PlistValue root, Stream output)
    {
        root.MakeReadOnly();
        output.Write(Prolog);
        var settings = new XmlWriterSettings
        {
            Encoding = new UTF8Encoding(false),
            Indent = true,
            IndentChars = "\t",
            NewLineChars = "\n",
            NewLineHandling = NewLineHandling.Entitize,
            OmitXmlDeclaration = true,
            ConformanceLevel = ConformanceLevel.Fragment,
            CloseOutput = false,
        };
        using (var xml = XmlWriter.Create(output, settings))
        {
            xml.WriteStartElement("plist");
            xml.WriteAttributeString("version", "1.0");
            WriteValue(xml, root);
            xml.WriteEndElement();
        }

        output.WriteByte((byte)'\n');
    }

    private static void WriteValue(XmlWriter xml, PlistValue value)
    {
        switch (value)
        {
            case PlistDict dict:
                RuntimeHelpers.EnsureSufficientExecutionStack();
                xml.WriteStartElement("dict");
                foreach (var (key, item) in dict)
                {
                    xml.WriteElementString("key", key);
                    WriteValue(xml, item);
                }

                xml.WriteFullEndElement();
                break;
            case PlistArray array:
                RuntimeHelpers.EnsureSufficientExecutionStack();
                xml.WriteStartElement("array");
                foreach (var item in array)
                {
                    WriteValue(xml, item);
                }

                xml.WriteFullEndElement();
                break;
            case PlistString s:
                xml.WriteElementString("string", s.Value);
                break;
            case PlistInteger i:
                xml.WriteElementString("integer", i.Value.ToString(CultureInfo.InvariantCulture));
                break;
            case PlistReal r:
                xml.WriteElementString("real", FormatReal(r.Value));
                break;
            case PlistBoolean b:
                xml.WriteStartElement(b.Value ? "true" : "false");
                xml.WriteEndElement();
                break;
            case PlistData d:
                xml.WriteElementString("data", Convert.ToBase64String(d.Span));
                break;
            case PlistDate date:
                xml.WriteElementString("date", date.Value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
                break;
            default:
                throw new ArgumentException(
                    $"An XML property list cannot hold a {PlistTypeNames.Of(value.Kind)} value.", nameof(value));
        }
    }

    private static string FormatReal(double value) => value switch
    {
        double.PositiveInfinity => "inf",
        double.NegativeInfinity => "-inf",
        _ when double.IsNaN(value) => "nan",
        _ => value.ToString("R", CultureInfo.InvariantCulture),
    };
}
