using System.Buffers;
using Receiver.Core.Plist;

namespace Receiver.Core.Tests.Plist;

public sealed class BinaryPlistWriterTests
{
    [Theory]
    [InlineData("0", "10 00")]
    [InlineData("255", "10 FF")]
    [InlineData("256", "11 01 00")]
    [InlineData("65535", "11 FF FF")]
    [InlineData("65536", "12 00 01 00 00")]
    [InlineData("4294967295", "12 FF FF FF FF")]
    [InlineData("4294967296", "13 00 00 00 01 00 00 00 00")]
    [InlineData("9223372036854775807", "13 7F FF FF FF FF FF FF FF")]
    [InlineData("9223372036854775808", "14 00 00 00 00 00 00 00 00 80 00 00 00 00 00 00 00")]
    [InlineData("18446744073709551615", "14 00 00 00 00 00 00 00 00 FF FF FF FF FF FF FF FF")]
    [InlineData("-1", "13 FF FF FF FF FF FF FF FF")]
    [InlineData("-9223372036854775808", "13 80 00 00 00 00 00 00 00")]
    public void Write_Integer_UsesPlistlibWidth(string value, string hex)
    {
        var bytes = BinaryPlist.Write(new PlistInteger(Int128.Parse(value, System.Globalization.CultureInfo.InvariantCulture)));

        Assert.Equal(Convert.FromHexString(hex.Replace(" ", string.Empty, StringComparison.Ordinal)), bytes[8..^33]);
    }

    [Theory]
    [InlineData("abc", "53 61 62 63")]
    [InlineData("é", "61 00 E9")]
    [InlineData("abcdefghijklmno", "5F 10 0F 61 62 63 64 65 66 67 68 69 6A 6B 6C 6D 6E 6F")]
    public void Write_String_PicksAsciiOrUtf16(string value, string hex)
    {
        var bytes = BinaryPlist.Write(value);

        Assert.Equal(Convert.FromHexString(hex.Replace(" ", string.Empty, StringComparison.Ordinal)), bytes[8..^33]);
    }

    [Fact]
    public void Write_ManyObjects_UsesTwoByteRefs()
    {
        var root = new PlistArray(Enumerable.Range(0, 300).Select(i => (PlistValue)i));

        var bytes = BinaryPlist.Write(root);

        Assert.Equal(2, bytes[^26]);
        Assert.Equal(2, bytes[^25]);
        Assert.Equal(root, BinaryPlist.Read(bytes));
    }

    [Fact]
    public void Write_LargeData_UsesFourByteOffsets()
    {
        var root = new PlistArray(new PlistData(new byte[70_000]), "after");

        var bytes = BinaryPlist.Write(root);

        Assert.Equal(4, bytes[^26]);
        Assert.Equal(1, bytes[^25]);
        Assert.Equal(root, BinaryPlist.Read(bytes));
    }

    [Fact]
    public void Write_AllScalarMarkers()
    {
        var root = new PlistArray(
            PlistNull.Instance,
            true,
            false,
            new PlistReal(1.5, isSinglePrecision: true),
            2.5,
            PlistDate.FromSecondsSinceReference(0),
            new PlistUid(255),
            new PlistUid(256),
            new PlistUid(70_000),
            new PlistUid(ulong.MaxValue),
            new PlistSet());

        var bytes = BinaryPlist.Write(root);

        Assert.Equal(
            Convert.FromHexString("00" + "09" + "08" + "223FC00000" + "234004000000000000" + "330000000000000000" + "80FF" + "810100" + "8300011170" + "87FFFFFFFFFFFFFFFF" + "C0"),
            bytes[(8 + 1 + 11)..^(32 + 12)]);
        Assert.Equal(root, BinaryPlist.Read(bytes));
    }

    [Fact]
    public void Write_ToBufferWriter_MatchesArrayOverload()
    {
        var root = new PlistDict { ["a"] = new PlistArray(1, "two", 3.0), ["b"] = new byte[] { 1, 2 } };
        var buffer = new ArrayBufferWriter<byte>(1);

        BinaryPlist.Write(root, buffer);

        Assert.Equal(BinaryPlist.Write(root), buffer.WrittenSpan.ToArray());
        Assert.True(BinaryPlist.IsBinaryPlist(buffer.WrittenSpan));
        Assert.False(BinaryPlist.IsBinaryPlist("bplist0"u8));
    }
}
