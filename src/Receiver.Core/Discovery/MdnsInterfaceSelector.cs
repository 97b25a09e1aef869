using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace Receiver.Core.Discovery;

/// <summary>Chooses the interfaces the responder joins, from <see cref="DiscoveryOptions.Interfaces"/>.</summary>
public static class MdnsInterfaceSelector
{
    /// <summary>
    /// With an empty <paramref name="names"/> list: every interface that is up, multicast-capable and has an IPv4
    /// address; its IPv6 addresses (link-local and global, not deprecated or temporary where the platform tells) are
    /// published too (<see cref="PublishableAddresses"/>). Otherwise only the named interfaces, each of which must meet the same conditions;
    /// <paramref name="rejected"/> lists configured names that were not usable, with the reason.
    /// </summary>
    public static IReadOnlyList<MdnsInterface> Select(IEnumerable<NetworkInterface> available, IList<string> names, out IReadOnlyList<string> rejected)
    {
        ArgumentNullException.ThrowIfNull(available);
        ArgumentNullException.ThrowIfNull(names);
        var all = available.ToList();
        var selected = new List<MdnsInterface>();
        var problems = new List<string>();
        if (names.Count == 0)
        {
            selected.AddRange(all.Select(nic => TryUse(nic, out var use, out _) ? use : null).OfType<MdnsInterface>());
        }
        else
        {
            foreach (var name in names.Distinct(StringComparer.Ordinal))
            {
                var nic = all.FirstOrDefault(n => string.Equals(n.Name, name, StringComparison.Ordinal));
                if (nic is null)
                {
                    problems.Add($"{name}: no such interface");
                }
                else if (TryUse(nic, out var use, out var reason))
                {
                    selected.Add(use);
                }
                else
                {
                    problems.Add($"{name}: {reason}");
                }
            }
        }

        rejected = problems;
        return selected;
    }

    /// <summary>Selects from the machine's interfaces.</summary>
    public static IReadOnlyList<MdnsInterface> Select(IList<string> names, out IReadOnlyList<string> rejected) =>
        Select(NetworkInterface.GetAllNetworkInterfaces(), names, out rejected);

    /// <summary>
    /// The addresses to publish from an interface's unicast addresses: IPv4 ones first, then IPv6 ones (link-local
    /// and global), each once and in their order. Unspecified, multicast and IPv4-mapped addresses are left out.
    /// </summary>
    public static IReadOnlyList<IPAddress> PublishableAddresses(IEnumerable<IPAddress> unicast)
    {
        ArgumentNullException.ThrowIfNull(unicast);
        var all = unicast.ToList();
        var ipv4 = all.Where(a => a.AddressFamily == AddressFamily.InterNetwork && !a.Equals(IPAddress.Any));
        var ipv6 = all.Where(a => a.AddressFamily == AddressFamily.InterNetworkV6
            && !a.Equals(IPAddress.IPv6Any)
            && !a.IsIPv6Multicast
            && !a.IsIPv4MappedToIPv6);
        return ipv4.Concat(ipv6).Distinct().ToList();
    }

    private static bool TryUse(NetworkInterface nic, out MdnsInterface use, out string reason)
    {
        use = null!;

        // Linux reports the loopback interface as "Unknown" rather than "Up" even when it is up.
        var up = nic.OperationalStatus == OperationalStatus.Up
            || (nic.OperationalStatus == OperationalStatus.Unknown && nic.NetworkInterfaceType == NetworkInterfaceType.Loopback);
        if (!up)
        {
            reason = $"not up ({nic.OperationalStatus})";
            return false;
        }

        if (!nic.SupportsMulticast)
        {
            reason = "no MULTICAST flag";
            return false;
        }

        var properties = nic.GetIPProperties();
        var ipv4 = properties.GetIPv4Properties();
        var addresses = PublishableAddresses(properties.UnicastAddresses.Where(IsPreferred).Select(a => a.Address));
        if (ipv4 is null || !addresses.Any(a => a.AddressFamily == AddressFamily.InterNetwork))
        {
            reason = "no IPv4 address";
            return false;
        }

        use = new MdnsInterface(nic.Name, ipv4.Index, addresses);
        reason = string.Empty;
        return true;
    }

    // Deprecated and temporary (privacy) IPv6 addresses are not published where the platform reports them
    // (Windows); elsewhere every address is used.
    private static bool IsPreferred(UnicastIPAddressInformation address)
    {
        if (address.Address.AddressFamily != AddressFamily.InterNetworkV6 || !OperatingSystem.IsWindows())
        {
            return true;
        }

        return address.DuplicateAddressDetectionState == DuplicateAddressDetectionState.Preferred
            && address.SuffixOrigin != SuffixOrigin.Random;
    }
}
