using System.Text;
using Receiver.Core.Discovery;

namespace Receiver.Core.Tests.Discovery;

public sealed class AirPlayTxtRecordsTests
{
    private static readonly byte[] Key = Enumerable.Range(0, 32).Select(i => (byte)(0xF0 - i)).ToArray();

    private static AirPlayServiceInfo Info(bool pin = false, bool password = false, ulong features = AirPlayServiceInfo.DefaultFeatures) =>
        new("Living Room", "AA:BB:CC:0D:0E:0F", features, Key, 7000, PasswordRequired: password, PinRequired: pin);

    [Theory]
    [InlineData(AirPlayServiceInfo.DefaultFeatures, "0x52785EC0,0x0")]
    [InlineData(AirPlayServiceInfo.DefaultFeatures | AirPlayServiceInfo.LegacyPairingFeature, "0x5A785EC0,0x0")]
    [InlineData(AirPlayServiceInfo.DefaultFeatures | AirPlayServiceInfo.ScreenMultiCodecFeature, "0x52785EC0,0x400")]
    [InlineData(0x527FFEF7UL, "0x527FFEF7,0x0")]
    [InlineData(0UL, "0x0,0x0")]
    public void FormatFeatures_LowAndHighWord_UpperCaseHex(ulong features, string expected) =>
        Assert.Equal(expected, AirPlayTxtRecords.FormatFeatures(features));

    [Fact]
    public void ForAirPlay_Default_KeysInPublishedOrderWithValues()
    {
        var txt = AirPlayTxtRecords.ForAirPlay(Info());

        Assert.Equal(
            [
                new("deviceid", "aa:bb:cc:0d:0e:0f"),
                new("features", "0x52785EC0,0x0"),
                new("pw", "false"),
                new("flags", "0x4"),
                new("model", "AppleTV3,2"),
                new("pk", "f0efeeedecebeae9e8e7e6e5e4e3e2e1e0dfdedddcdbdad9d8d7d6d5d4d3d2d1"),
                new("pi", "2e388006-13ba-4041-9a67-25dd4a43d536"),
                new("srcvers", "220.68"),
                new KeyValuePair<string, string>("vv", "2"),
            ],
            txt);
    }

    [Fact]
    public void ForRaop_Default_KeysInPublishedOrderWithValues()
    {
        var txt = AirPlayTxtRecords.ForRaop(Info());

        Assert.Equal(
            ["ch", "cn", "da", "et", "vv", "ft", "am", "rhd", "pw", "sf", "sr", "ss", "sv", "tp", "txtvers", "vs", "vn", "pk"],
            txt.Select(kv => kv.Key));
        var values = txt.ToDictionary(kv => kv.Key, kv => kv.Value);
        Assert.Equal("2", values["ch"]);
        Assert.Equal("1,2,3", values["cn"]);
        Assert.Equal("true", values["da"]);
        Assert.Equal("0,3,5", values["et"]);
        Assert.Equal("0x52785EC0,0x0", values["ft"]);
        Assert.Equal("AppleTV3,2", values["am"]);
        Assert.False(values.ContainsKey("md"));
        Assert.Equal("5.6.0.0", values["rhd"]);
        Assert.Equal("false", values["pw"]);
        Assert.Equal("0x4", values["sf"]);
        Assert.Equal("44100", values["sr"]);
        Assert.Equal("16", values["ss"]);
        Assert.Equal("false", values["sv"]);
        Assert.Equal("UDP", values["tp"]);
        Assert.Equal("1", values["txtvers"]);
        Assert.Equal("220.68", values["vs"]);
        Assert.Equal("65537", values["vn"]);
        Assert.Equal(Convert.ToHexStringLower(Key), values["pk"]);
    }

    [Theory]
    [InlineData(true, false, "0x8c")]
    [InlineData(false, true, "0x84")]
    public void ForRaop_AccessControl_StatusFlagsAndPw(bool pin, bool password, string statusFlags)
    {
        var raop = AirPlayTxtRecords.ForRaop(Info(pin, password)).ToDictionary(kv => kv.Key, kv => kv.Value);
        var airPlay = AirPlayTxtRecords.ForAirPlay(Info(pin, password)).ToDictionary(kv => kv.Key, kv => kv.Value);

        Assert.Equal(statusFlags, raop["sf"]);
        Assert.Equal("true", raop["pw"]);
        Assert.Equal("true", airPlay["pw"]);
        Assert.Equal("0x4", airPlay["flags"]);
    }

    [Fact]
    public void ToRdata_Entries_LengthPrefixedKeyValueStrings()
    {
        var rdata = AirPlayTxtRecords.ToRdata([new("vv", "2"), new("pw", "false")]);

        Assert.Equal([4, .. "vv=2"u8, 8, .. "pw=false"u8], rdata);
    }

    [Fact]
    public void ToRdata_AirPlayRecord_EveryStringDecodesBack()
    {
        var txt = AirPlayTxtRecords.ForAirPlay(Info());

        var rdata = AirPlayTxtRecords.ToRdata(txt);

        var decoded = new List<string>();
        for (var offset = 0; offset < rdata.Length; offset += 1 + rdata[offset])
        {
            decoded.Add(Encoding.UTF8.GetString(rdata, offset + 1, rdata[offset]));
        }

        Assert.Equal(txt.Select(kv => kv.Key + "=" + kv.Value), decoded);
    }

    [Fact]
    public void ToRdata_Empty_SingleEmptyString() => Assert.Equal([0], AirPlayTxtRecords.ToRdata([]));

    [Fact]
    public void ToRdata_EntryLongerThan255Bytes_Throws() =>
        Assert.Throws<ArgumentException>(() => AirPlayTxtRecords.ToRdata([new("k", new string('x', 254))]));

    [Fact]
    public void ToRdata_KeyWithEquals_Throws() =>
        Assert.Throws<ArgumentException>(() => AirPlayTxtRecords.ToRdata([new("a=b", "c")]));

    [Fact]
    public void RaopInstanceName_DeviceIdUpperHexAtName() =>
        Assert.Equal("AABBCC0D0E0F@Living Room", Info().RaopInstanceName);

    [Fact]
    public void InstanceName_NameWithLocalSuffix_SuffixDropped() =>
        Assert.Equal("Kitchen", (Info() with { Name = "Kitchen.local" }).InstanceName);
}
