using Xunit.Abstractions;

namespace Receiver.Core.Tests.Discovery;

/// <summary>
/// The advertisement follows the network, checked with avahi in a private network namespace holding only
/// <c>lo</c>: started before any IPv4 address exists, it advertises once one comes; when the address changes, the
/// same name resolves to the new one. Nothing is sent on a real interface.
/// </summary>
[Collection(RealTimeCollection.Name)]
public sealed class AvahiNetworkChangeTests(ITestOutputHelper output)
{
    // An upper bound: the script ends the probe once avahi has seen the change.
    private const int ProbeSeconds = 100;

    private const string Host = "airplay-021122334455.local";

    [NetworkNamespaceFact]
    public async Task Probe_StartedBeforeTheNetwork_AdvertisesWhenAnAddressComesAndFollowsItsChange()
    {
        var sections = await AvahiNamespaceScript.RunAsync("mdns-netns-network-change.sh", ProbeSeconds, output);

        Assert.Equal("0", sections["probe-exit"].SingleOrDefault());
        var probe = sections["probe"];
        Assert.Contains("probe: waiting for a usable interface", probe);

        // Advertised once the address came, at that address.
        var first = Assert.Single(AvahiNamespaceScript.Resolved(sections["first"]), r => r.Protocol == "IPv4");
        Assert.Equal("Probe Receiver", first.Name);
        Assert.Equal(Host, first.Host);
        Assert.Equal("127.0.0.1", first.Address);
        Assert.Equal([Host + "\t127.0.0.1"], sections["first-host"]);

        // After the change the same names resolve to the new address: no rename, no second announcement of a name.
        Assert.Equal([Host + "\t10.77.0.1"], sections["second-host"]);
        var second = Assert.Single(AvahiNamespaceScript.Resolved(sections["second"]), r => r.Protocol == "IPv4");
        Assert.Equal("Probe Receiver", second.Name);
        Assert.Equal("10.77.0.1", second.Address);
        Assert.Equal("7000", second.Port);
        Assert.Equal(["probe: advertised as Probe Receiver / 021122334455@Probe Receiver"], probe.Where(l => l.StartsWith("probe: advertised", StringComparison.Ordinal)));
        Assert.Contains(probe, l => l.Contains("Network changed: mDNS interfaces were lo 127.0.0.1", StringComparison.Ordinal) && l.Contains("now lo 10.77.0.1", StringComparison.Ordinal));
    }
}
