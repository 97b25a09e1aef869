using Xunit.Abstractions;

namespace Receiver.Core.Tests.Discovery;

/// <summary>
/// Name conflicts in a private network namespace holding only <c>lo</c>, checked with avahi: two receivers started
/// with the same name, and a receiver whose name avahi already publishes. Nothing is sent on a real interface.
/// </summary>
[Collection(RealTimeCollection.Name)]
public sealed class AvahiConflictTests(ITestOutputHelper output)
{
    // An upper bound: the script browses as soon as all three probes report their names, then ends them.
    private const int ProbeSeconds = 60;

    [NetworkNamespaceFact]
    public async Task Probes_SameNameAndTakenName_AvahiSeesRenamedServices()
    {
        var sections = await AvahiNamespaceScript.RunAsync("mdns-netns-conflict.sh", ProbeSeconds, output);
        var airPlay = AvahiNamespaceScript.Resolved(sections["airplay"]);
        var raop = AvahiNamespaceScript.Resolved(sections["raop"]);

        // Two receivers with one name: one keeps it, the other moves to "(2)", on both service types.
        var twins = airPlay.Where(s => s.Name.StartsWith("Twin Receiver", StringComparison.Ordinal)).Select(s => s.Name).Order().ToList();
        Assert.Equal(["Twin Receiver", "Twin Receiver (2)"], twins);
        var twinPorts = airPlay.Where(s => s.Name.StartsWith("Twin Receiver", StringComparison.Ordinal)).Select(s => s.Port).Order().ToList();
        Assert.Equal(["7000", "7001"], twinPorts);
        var renamedTwin = airPlay.Single(s => s.Name == "Twin Receiver (2)");
        var renamedDeviceId = renamedTwin.Txt["deviceid"].Replace(":", string.Empty, StringComparison.Ordinal).ToUpperInvariant();
        var keptDeviceId = renamedDeviceId == "021122334455" ? "022233445566" : "021122334455";
        var twinRaop = raop.Where(s => s.Name.Contains("@Twin Receiver", StringComparison.Ordinal)).Select(s => s.Name).Order().ToList();
        Assert.Equal(new[] { keptDeviceId + "@Twin Receiver", renamedDeviceId + "@Twin Receiver (2)" }.Order(), twinRaop);
        Assert.Contains(sections[renamedDeviceId == "021122334455" ? "twin-1" : "twin-2"], l => l == "probe: advertised as Twin Receiver (2) / " + renamedDeviceId + "@Twin Receiver (2)");

        // Probes ask for multicast answers: a unicast defence to port 5353 would reach only one of the sockets
        // sharing it (avahi's, the watcher's or another receiver's), and avahi, having heard its own unicast answer,
        // stays silent to the next probes; the receiver would then announce a name avahi holds.
        // (The receiver may see avahi announce "Taken Receiver" before its first probe and so probe only for "(2)".)
        var probeQuestions = sections["watch"].Where(l => l.StartsWith("probe question: ", StringComparison.Ordinal)).ToList();
        Assert.Contains("probe question: Taken Receiver (2)._airplay._tcp.local QM", probeQuestions);
        Assert.DoesNotContain(probeQuestions, l => l.EndsWith(" QU", StringComparison.Ordinal));

        // A name avahi already publishes: avahi keeps it (it never has to pick another), the receiver is advertised
        // as "(2)".
        Assert.DoesNotContain(sections["publish"], l => l.StartsWith("Name collision", StringComparison.Ordinal));
        var taken = airPlay.Where(s => s.Name.StartsWith("Taken Receiver", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, taken.Count);
        Assert.Equal("netns-avahi.local", taken.Single(s => s.Name == "Taken Receiver").Host);
        var ours = taken.Single(s => s.Name == "Taken Receiver (2)");
        Assert.Equal("airplay-023344556677.local", ours.Host);
        Assert.Equal("7002", ours.Port);
        Assert.Equal("023344556677@Taken Receiver (2)", Assert.Single(raop, s => s.Name.Contains("@Taken Receiver", StringComparison.Ordinal)).Name);
        Assert.Contains(sections["taken"], l => l == "probe: advertised as Taken Receiver (2) / 023344556677@Taken Receiver (2)");
    }
}
