using System.Globalization;
using System.Text.RegularExpressions;
using Receiver.Core.Discovery;
using Receiver.Core.Sessions;

namespace Receiver.Core.Tests.Discovery;

/// <summary>
/// The advertised bits are the ones docs/FEATURES.md says are advertised: the features table's "yes" rows are the
/// default bitmask, its status-flag "yes" rows the default flags, and what /info and both TXT records publish agrees.
/// </summary>
public sealed partial class AdvertisedFeaturesTests
{
    private static readonly string Features = File.ReadAllText(Path.Combine(TestPaths.RepositoryRoot, "docs", "FEATURES.md"));

    [Fact]
    public void DefaultFeatures_AreTheBitsTheTableAdvertises()
    {
        var documented = AdvertisedBits(Section("## `features`"));
        Assert.Equal(documented, AirPlayFeatures.Bits(AirPlayFeatures.Default).ToArray());
        Assert.Equal(ReceiverSettings.DefaultFeatures, AirPlayFeatures.Default);
        Assert.Equal(AirPlayServiceInfo.DefaultFeatures, AirPlayFeatures.Default);
        Assert.Contains($"**`{AirPlayTxtRecords.FormatFeatures(AirPlayFeatures.Default)}`**", Features, StringComparison.Ordinal);
    }

    [Fact]
    public void ConditionalFeatureBits_AreDocumentedAsConditional()
    {
        var rows = Rows(Section("## `features`"));
        Assert.StartsWith("only with", rows[27], StringComparison.Ordinal);
        Assert.StartsWith("only with", rows[42], StringComparison.Ordinal);
        Assert.Equal(AirPlayFeatures.LegacyPairing, ReceiverSettings.LegacyPairingFeature);
        Assert.Equal(AirPlayFeatures.ScreenMultiCodec, ReceiverSettings.ScreenMultiCodecFeature);
    }

    [Fact]
    public void PublishedFeatures_InInfoAndBothTxtRecords_AreTheDefault()
    {
        var settings = new ReceiverSettings { Name = "R", DeviceId = "aa:bb:cc:dd:ee:ff", PublicKey = new byte[32] };
        var info = InfoResponse.Build(settings);
        Assert.Equal(AirPlayFeatures.Default, info.GetUInt64("features"));
        var service = InfoResponse.ServiceInfo(settings);
        var airPlay = AirPlayTxtRecords.ForAirPlay(service).ToDictionary(kv => kv.Key, kv => kv.Value);
        var raop = AirPlayTxtRecords.ForRaop(service).ToDictionary(kv => kv.Key, kv => kv.Value);
        Assert.Equal(AirPlayTxtRecords.FormatFeatures(AirPlayFeatures.Default), airPlay["features"]);
        Assert.Equal(AirPlayTxtRecords.FormatFeatures(AirPlayFeatures.Default), raop["ft"]);
    }

    [Fact]
    public void DefaultStatusFlags_AreTheFlagsTheTableAdvertises()
    {
        var documented = AdvertisedBits(Section("## Status flags"));
        var expected = documented.Aggregate(0, (flags, bit) => flags | (1 << bit));
        var settings = new ReceiverSettings { Name = "R", DeviceId = "aa:bb:cc:dd:ee:ff", PublicKey = new byte[32] };
        var service = InfoResponse.ServiceInfo(settings);
        Assert.Equal(expected, InfoResponse.StatusFlags(settings));
        Assert.Equal(Hex(expected), AirPlayTxtRecords.ForRaop(service).Single(kv => kv.Key == "sf").Value);
        Assert.Equal(Hex(expected), AirPlayTxtRecords.ForAirPlay(service).Single(kv => kv.Key == "flags").Value);
        Assert.Equal(0x8c, InfoResponse.StatusFlags(settings with { PinRequired = true }));
        Assert.Equal(0x84, InfoResponse.StatusFlags(settings with { PasswordRequired = true }));
    }

    [Fact]
    public void RaopCodecList_IsTheTablesAndHasNoMetadataTypes()
    {
        var service = InfoResponse.ServiceInfo(new ReceiverSettings { Name = "R", DeviceId = "aa:bb:cc:dd:ee:ff", PublicKey = new byte[32] });
        var raop = AirPlayTxtRecords.ForRaop(service).ToDictionary(kv => kv.Key, kv => kv.Value);
        Assert.Contains($"| `cn` | `{raop["cn"]}` |", Features, StringComparison.Ordinal);
        Assert.Contains($"| `et` | `{raop["et"]}` |", Features, StringComparison.Ordinal);
        Assert.False(raop.ContainsKey("md"));
    }

    private static string Hex(int value) => "0x" + value.ToString("x", CultureInfo.InvariantCulture);

    private static string Section(string heading)
    {
        var start = Features.IndexOf(heading, StringComparison.Ordinal);
        Assert.True(start >= 0, $"docs/FEATURES.md has no '{heading}'");
        var end = Features.IndexOf("\n## ", start + heading.Length, StringComparison.Ordinal);
        return end < 0 ? Features[start..] : Features[start..end];
    }

    /// <summary>Bit number → the "advertised" cell of each table row.</summary>
    private static Dictionary<int, string> Rows(string section) =>
        TableRow().Matches(section).ToDictionary(m => int.Parse(m.Groups["bit"].Value, CultureInfo.InvariantCulture), m => m.Groups["advertised"].Value.Trim());

    private static int[] AdvertisedBits(string section) =>
        [.. Rows(section).Where(r => r.Value == "yes").Select(r => r.Key).Order()];

    [GeneratedRegex(@"^\| (?<bit>\d+) \| [^|]+ \| (?<advertised>[^|]+) \|", RegexOptions.Multiline)]
    private static partial Regex TableRow();
}
