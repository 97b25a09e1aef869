using Xunit.Sdk;

namespace Receiver.Core.Tests.Discovery;

/// <summary>
/// A fact that needs root, <c>ip netns</c>, <c>unshare</c>, <c>dbus-daemon</c> and avahi; it is skipped with the
/// missing piece named otherwise.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
[TraitDiscoverer("Receiver.Tests.LaneDiscoverer", "Receiver.Core.Tests")]
public sealed class NetworkNamespaceFactAttribute : FactAttribute, ITraitAttribute, ITestLane
{
    /// <summary>The lane of the tests this attribute marks.</summary>
    public string Lane => TestLanes.External;

    private bool needsIpv6;

    private static readonly Lazy<string?> Missing =
        new(() => NetworkNamespaceSupport.FindMissing("ip", "unshare", "stdbuf", "dbus-daemon", "avahi-daemon", "avahi-browse", "avahi-publish", "avahi-resolve-host-name"));

    public NetworkNamespaceFactAttribute()
    {
        if (Missing.Value is { } reason)
        {
            Skip = reason;
        }
    }

    /// <summary>The test checks IPv6 too: skipped on a kernel without IPv6 (booted with <c>ipv6.disable=1</c>).</summary>
    public bool NeedsIpv6
    {
        get => needsIpv6;
        set
        {
            needsIpv6 = value;
            if (value && Skip is null && !File.Exists("/proc/net/if_inet6"))
            {
                Skip = "this kernel has no IPv6 (/proc/net/if_inet6 is missing)";
            }
        }
    }
}
