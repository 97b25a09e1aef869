using System.Net;
using System.Net.Sockets;

namespace Receiver.Core.Discovery;

/// <summary>A network interface the responder runs on.</summary>
/// <param name="Name">Interface name, e.g. <c>eth0</c>.</param>
/// <param name="Index">Kernel interface index (matches the arrival interface of received packets).</param>
/// <param name="Addresses">
/// Addresses published on this interface: IPv4 ones as A records, IPv6 ones (link-local and global) as AAAA records.
/// </param>
public sealed record MdnsInterface(string Name, int Index, IReadOnlyList<IPAddress> Addresses)
{
    /// <summary>The IPv4 addresses, in order; the first one selects the outgoing interface of IPv4 multicast.</summary>
    public IReadOnlyList<IPAddress> Ipv4Addresses => Addresses.Where(a => a.AddressFamily == AddressFamily.InterNetwork).ToList();

    /// <summary>The IPv6 addresses, in order.</summary>
    public IReadOnlyList<IPAddress> Ipv6Addresses => Addresses.Where(a => a.AddressFamily == AddressFamily.InterNetworkV6).ToList();
}
