using Receiver.Core.Discovery;
using Xunit.Abstractions;

namespace Receiver.Core.Tests.Discovery;

/// <summary>
/// Runs the discovery probe inside a private network namespace holding only <c>lo</c> and checks with avahi (over
/// IPv4, and over IPv6 where the kernel has it) what it publishes and that its goodbyes remove it. Nothing is sent
/// on a real interface.
/// </summary>
[Collection(RealTimeCollection.Name)]
public sealed class AvahiDiscoveryTests(ITestOutputHelper output)
{
    // An upper bound: the script ends the probe as soon as avahi has resolved its services.
    private const int ProbeSeconds = 60;

    [NetworkNamespaceFact]
    public async Task Probe_InNamespace_AvahiResolvesBothServicesOverIpv4ThenSeesGoodbye()
    {
        var sections = await AvahiNamespaceScript.RunAsync("mdns-netns-check.sh", ProbeSeconds, output);

        Assert.Equal("0", sections["probe-exit"].SingleOrDefault());

        var airPlay = Assert.Single(AvahiNamespaceScript.Resolved(sections["airplay-during"]), r => r.Protocol == "IPv4");
        Assert.Equal("Probe Receiver", airPlay.Name);
        Assert.Equal("_airplay._tcp", airPlay.Type);
        Assert.Equal("airplay-021122334455.local", airPlay.Host);
        Assert.Equal("127.0.0.1", airPlay.Address);
        Assert.Equal("7000", airPlay.Port);
        Assert.Equal("02:11:22:33:44:55", airPlay.Txt["deviceid"]);
        Assert.Equal("0x52785EC0,0x0", airPlay.Txt["features"]);
        Assert.Equal("false", airPlay.Txt["pw"]);
        Assert.Equal("0x4", airPlay.Txt["flags"]);
        Assert.Equal("AppleTV3,2", airPlay.Txt["model"]);
        Assert.Equal(ProbeKeyHex, airPlay.Txt["pk"]);
        Assert.Equal(AirPlayTxtRecords.PairingIdentity, airPlay.Txt["pi"]);
        Assert.Equal("220.68", airPlay.Txt["srcvers"]);
        Assert.Equal("2", airPlay.Txt["vv"]);

        var raop = Assert.Single(AvahiNamespaceScript.Resolved(sections["raop-during"]), r => r.Protocol == "IPv4");
        Assert.Equal("021122334455@Probe Receiver", raop.Name);
        Assert.Equal("_raop._tcp", raop.Type);
        Assert.Equal("7000", raop.Port);
        Assert.Equal(18, raop.Txt.Count);
        Assert.Equal("0x52785EC0,0x0", raop.Txt["ft"]);
        Assert.Equal("0,3,5", raop.Txt["et"]);
        Assert.Equal("0x4", raop.Txt["sf"]);
        Assert.Equal(ProbeKeyHex, raop.Txt["pk"]);

        // Goodbye: the browsers saw the removal, and a fresh browse finds nothing.
        Assert.Contains(sections["monitor-airplay"], l => l.StartsWith("-;lo;IPv4;Probe\\032Receiver;_airplay._tcp;", StringComparison.Ordinal));
        Assert.Contains(sections["monitor-raop"], l => l.StartsWith("-;lo;IPv4;021122334455\\064Probe\\032Receiver;_raop._tcp;", StringComparison.Ordinal));
        Assert.DoesNotContain(sections["airplay-after"], l => l.Contains("_airplay._tcp", StringComparison.Ordinal));
        Assert.DoesNotContain(sections["raop-after"], l => l.Contains("_raop._tcp", StringComparison.Ordinal));
    }

    [NetworkNamespaceFact(NeedsIpv6 = true)]
    public async Task Probe_InNamespace_AvahiResolvesTheServiceAndHostOverIpv6ThenSeesGoodbye()
    {
        var sections = await AvahiNamespaceScript.RunAsync("mdns-netns-check.sh", ProbeSeconds, output);

        Assert.Equal(["yes"], sections["ipv6"]);
        Assert.Equal("0", sections["probe-exit"].SingleOrDefault());

        // Over IPv6 (ff02::fb on lo) avahi finds and resolves the same service; avahi-browse picks either address
        // family for the address, and the host's AAAA record is lo's ::1.
        var airPlay = Assert.Single(AvahiNamespaceScript.Resolved(sections["airplay-during"]), r => r.Protocol == "IPv4");
        var airPlay6 = Assert.Single(AvahiNamespaceScript.Resolved(sections["airplay-during"]), r => r.Protocol == "IPv6");
        Assert.Equal("Probe Receiver", airPlay6.Name);
        Assert.Equal("airplay-021122334455.local", airPlay6.Host);
        Assert.Contains(airPlay6.Address, (string[])["127.0.0.1", "::1"]);
        Assert.Equal("7000", airPlay6.Port);
        Assert.Equal(airPlay.Txt, airPlay6.Txt);
        Assert.Equal(["airplay-021122334455.local\t::1"], sections["host-ipv6"]);
        Assert.Contains(sections["raop-during"], l => l.StartsWith("=;lo;IPv6;021122334455\\064Probe\\032Receiver;_raop._tcp;", StringComparison.Ordinal));
        Assert.Contains(sections["monitor-airplay"], l => l.StartsWith("-;lo;IPv6;Probe\\032Receiver;_airplay._tcp;", StringComparison.Ordinal));
    }

    private static string ProbeKeyHex => Convert.ToHexStringLower(Enumerable.Range(0, 32).Select(i => (byte)(0xA0 + i)).ToArray());
}
