using System.Text;
using Receiver.Core.Plist;

namespace Receiver.Core.Tests.Plist;

public sealed class XmlPlistTests
{
    private const string Prolog = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        + "<!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\" \"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">\n";

    [Fact]
    public void WriteString_StreamXmlReply_UsesAppleLayout()
    {
        var root = new PlistDict
        {
            ["height"] = 720,
            ["overscanned"] = true,
            ["refreshRate"] = 1.0 / 60,
            ["version"] = "130.14",
            ["width"] = 1280,
        };

        string xml = XmlPlist.WriteString(root);

        Assert.StartsWith(Prolog + "<plist version=\"1.0\">\n\t<dict>\n\t\t<key>height</key>\n\t\t<integer>720</integer>", xml, StringComparison.Ordinal);
        Assert.Contains("<true />", xml.Replace("<true/>", "<true />", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Contains("<real>0.016666666666666666</real>", xml, StringComparison.Ordinal);
        Assert.EndsWith("</plist>\n", xml, StringComparison.Ordinal);
        Assert.Equal(root, XmlPlist.Read(xml));
        Assert.Equal(Encoding.UTF8.GetBytes(xml), XmlPlist.Write(root));
    }

    [Fact]
    public void Read_AllXmlTypes_DecodesValues()
    {
        string xml = Prolog + """
            <plist version="1.0">
            <dict>
                <key>int</key><integer> -42 </integer>
                <key>hex</key><integer>0x10</integer>
                <key>big</key><integer>18446744073709551615</integer>
                <key>real</key><real>2.5e3</real>
                <key>inf</key><real>-inf</real>
                <key>t</key><true/>
                <key>f</key><false></false>
                <key>s</key><string>  a &amp; b &lt;c&gt;  </string>
                <key>cdata</key><string><![CDATA[x<y]]></string>
                <key>empty</key><string/>
                <key>data</key><data>
                    AAEC
                    /w==
                </data>
                <key>date</key><date>2021-05-05T02:31:29Z</date>
                <key>arr</key><array><integer>1</integer><array/><dict/></array>
                <!-- comment -->
            </dict>
            </plist>
            """;

        var dict = XmlPlist.Read(xml).As<PlistDict>();

        Assert.Equal(-42, dict.GetInt64("int"));
        Assert.Equal(16, dict.GetInt64("hex"));
        Assert.Equal(ulong.MaxValue, dict.GetUInt64("big"));
        Assert.Equal(2500.0, dict.GetReal("real"));
        Assert.Equal(double.NegativeInfinity, dict.GetReal("inf"));
        Assert.True(dict.GetBoolean("t"));
        Assert.False(dict.GetBoolean("f"));
        Assert.Equal("  a & b <c>  ", dict.GetString("s"));
        Assert.Equal("x<y", dict.GetString("cdata"));
        Assert.Equal(string.Empty, dict.GetString("empty"));
        Assert.Equal(new byte[] { 0, 1, 2, 255 }, dict.GetData("data").ToArray());
        Assert.Equal(new DateTimeOffset(2021, 5, 5, 2, 31, 29, TimeSpan.Zero), dict.GetDate("date"));
        Assert.Equal(new PlistArray(1, new PlistArray(), new PlistDict()), dict.GetArray("arr"));
    }

    [Fact]
    public void Read_WhitespaceOnlyString_KeepsWhitespace()
    {
        var root = new PlistArray(" ", "\t\n", "\r\n", " x ");

        Assert.Equal(root, XmlPlist.Read(XmlPlist.Write(root)));
    }

    [Theory]
    [InlineData("<plist version=\"1.0\"></plist>", "no value")]
    [InlineData("<plist><string>a</string><string>b</string></plist>", "more than one value")]
    [InlineData("<dict></dict>", "root element")]
    [InlineData("<plist><integer>abc</integer></plist>", "not an integer")]
    [InlineData("<plist><integer>18446744073709551616</integer></plist>", "not an integer")]
    [InlineData("<plist><integer>-9223372036854775809</integer></plist>", "not an integer")]
    [InlineData("<plist><real>one</real></plist>", "not a real")]
    [InlineData("<plist><data>!!!</data></plist>", "base64")]
    [InlineData("<plist><date>yesterday</date></plist>", "date")]
    [InlineData("<plist><true>yes</true></plist>", "must be empty")]
    [InlineData("<plist><dict><string>k</string><integer>1</integer></dict></plist>", "expected <key>")]
    [InlineData("<plist><dict><key>k</key></dict></plist>", "has no value")]
    [InlineData("<plist><array>text<integer>1</integer></array></plist>", "unexpected")]
    [InlineData("<plist><set/></plist>", "unknown element")]
    [InlineData("<plist><string>unterminated</plist>", "Invalid XML plist")]
    [InlineData("", "Invalid XML plist")]
    public void Read_MalformedXml_ThrowsPlistFormatException(string xml, string reason)
    {
        var e = Assert.Throws<PlistFormatException>(() => XmlPlist.Read(xml));

        Assert.Contains(reason, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_InternalEntityExpansion_Rejected()
    {
        string xml = """
            <?xml version="1.0"?>
            <!DOCTYPE plist [
              <!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">
              <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
              <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
            ]>
            <plist><string>&c;</string></plist>
            """;

        Assert.Throws<PlistFormatException>(() => XmlPlist.Read(xml));
    }

    [Fact]
    public void Read_ExternalEntity_NotResolved()
    {
        string path = Path.Combine(Path.GetTempPath(), "plist-secret-" + Environment.ProcessId + ".txt");
        File.WriteAllText(path, "secret");
        try
        {
            string xml = $"""
                <?xml version="1.0"?>
                <!DOCTYPE plist [ <!ENTITY x SYSTEM "file://{path}"> ]>
                <plist><string>&x;</string></plist>
                """;

            Assert.Throws<PlistFormatException>(() => XmlPlist.Read(xml));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Read_DeepNesting_RejectedAtDepthLimit()
    {
        string deep = "<plist>" + string.Concat(Enumerable.Repeat("<array>", 100_000)) + string.Concat(Enumerable.Repeat("</array>", 100_000)) + "</plist>";
        string ok = "<plist>" + string.Concat(Enumerable.Repeat("<array>", 64)) + string.Concat(Enumerable.Repeat("</array>", 64)) + "</plist>";

        var e = Assert.Throws<PlistFormatException>(() => XmlPlist.Read(deep, new PlistLimits { MaxBytes = 16 * 1024 * 1024 }));

        Assert.Contains("deeper than the limit", e.Message, StringComparison.Ordinal);
        Assert.IsType<PlistArray>(XmlPlist.Read(ok));
    }

    [Fact]
    public void Read_LimitsOnSizeAndCount_Enforced()
    {
        string many = "<plist><array>" + string.Concat(Enumerable.Repeat("<true/>", 100)) + "</array></plist>";

        Assert.Throws<PlistFormatException>(() => XmlPlist.Read(many, new PlistLimits { MaxObjects = 50 }));
        Assert.Throws<PlistFormatException>(() => XmlPlist.Read(many, new PlistLimits { MaxBytes = 100 }));
        Assert.Throws<PlistFormatException>(() => XmlPlist.Read(Encoding.UTF8.GetBytes(many), new PlistLimits { MaxBytes = 100 }));
        Assert.Equal(100, XmlPlist.Read(Encoding.UTF8.GetBytes(many)).As<PlistArray>().Count);
    }

    [Fact]
    public void Write_ValuesXmlCannotHold_ThrowsArgumentException()
    {
        Assert.Throws<ArgumentException>(() => XmlPlist.Write(new PlistArray(PlistNull.Instance)));
        Assert.Throws<ArgumentException>(() => XmlPlist.Write(new PlistSet(1)));
        Assert.Throws<ArgumentException>(() => XmlPlist.Write(new PlistUid(1)));
    }

    [Fact]
    public void Write_SpecialReals_ReadBackExactly()
    {
        var root = new PlistArray(double.NaN, double.PositiveInfinity, double.NegativeInfinity, -0.0, double.Epsilon, double.MaxValue);

        var back = XmlPlist.Read(XmlPlist.WriteString(root)).As<PlistArray>();

        Assert.True(double.IsNaN(back[0].As<PlistReal>().Value));
        Assert.Equal(root.Skip(1), back.Skip(1));
    }

    [Fact]
    public void Read_EveryPrefixOfStreamXml_ThrowsPlistFormatException()
    {
        var bytes = PlistVectors.Bytes("legacy-stream-xml.plist");

        for (int length = 0; length < bytes.Length - 1; length++)
        {
            var prefix = bytes.AsSpan(0, length).ToArray();
            Assert.Throws<PlistFormatException>(() => XmlPlist.Read(prefix));
        }
    }

    [Fact]
    public void Read_RandomMutationsOfXml_OnlyEverThrowsPlistFormatException()
    {
        var original = XmlPlist.Write(new PlistTreeGenerator(7, PlistTreeGenerator.Profile.Xml).Next(3));
        var random = new Random(42);

        for (int round = 0; round < 3000; round++)
        {
            var bytes = (byte[])original.Clone();
            for (int e = random.Next(1, 4); e > 0; e--)
            {
                bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
            }

            try
            {
                var value = XmlPlist.Read(bytes);
                XmlPlist.Write(value);
            }
            catch (PlistFormatException)
            {
            }
        }
    }
}
