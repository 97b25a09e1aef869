using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace Receiver.Core.Discovery;

/// <summary>
/// One of the responder's UDP sockets, IPv4 or IPv6: bound to port 5353 next to the operating system's responder,
/// member of 224.0.0.251 or ff02::fb on the given interfaces only, reporting each packet's arrival interface
/// (IP_PKTINFO / IPV6_RECVPKTINFO) and sending multicast through one chosen interface at a time.
/// </summary>
public sealed partial class MdnsSocket : IDisposable
{
    public const int Port = 5353;

    public static readonly IPAddress Group = IPAddress.Parse("224.0.0.251");

    public static readonly IPAddress Ipv6Group = IPAddress.Parse("ff02::fb");

    private readonly Socket socket;
    private readonly SemaphoreSlim sendLock = new(1, 1);

    private MdnsSocket(Socket socket, AddressFamily family, IReadOnlySet<int> joined)
    {
        this.socket = socket;
        Family = family;
        JoinedInterfaces = joined;
    }

    /// <summary><see cref="AddressFamily.InterNetwork"/> or <see cref="AddressFamily.InterNetworkV6"/>.</summary>
    public AddressFamily Family { get; }

    /// <summary>Indexes of the interfaces on which the group was joined; only these receive and send.</summary>
    public IReadOnlySet<int> JoinedInterfaces { get; }

    /// <summary>Opens the IPv4 socket and joins 224.0.0.251 on each of <paramref name="interfaces"/>.</summary>
    public static MdnsSocket Open(IEnumerable<MdnsInterface> interfaces, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(interfaces);
        ArgumentNullException.ThrowIfNull(logger);
        var s = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        var joined = new HashSet<int>();
        try
        {
            // Shares port 5353 with the operating system's responder (avahi, mDNSResponder), as RFC 6762 section 15 expects.
            s.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            s.Bind(new IPEndPoint(IPAddress.Any, Port));
            s.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.PacketInformation, true);
            s.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.MulticastTimeToLive, 255);
            s.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.MulticastLoopback, true);
            foreach (var nic in interfaces)
            {
                s.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.AddMembership, new MulticastOption(Group, nic.Index));
                joined.Add(nic.Index);
                LogJoined(logger, Group.ToString(), nic.Name, nic.Index);
            }
        }
        catch
        {
            s.Dispose();
            throw;
        }

        return new MdnsSocket(s, AddressFamily.InterNetwork, joined);
    }

    /// <summary>
    /// Opens the IPv6 socket (IPV6_V6ONLY) and joins ff02::fb on each of <paramref name="interfaces"/> that has an
    /// IPv6 address. Interfaces where the join fails are left out and logged; null (logged once) when IPv6 is not
    /// available at all or no interface could join.
    /// </summary>
    public static MdnsSocket? TryOpenIpv6(IEnumerable<MdnsInterface> interfaces, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(interfaces);
        ArgumentNullException.ThrowIfNull(logger);
        var candidates = interfaces.Where(i => i.Ipv6Addresses.Count > 0).ToList();
        if (candidates.Count == 0)
        {
            LogIpv6Unavailable(logger, "no selected interface has an IPv6 address");
            return null;
        }

        Socket s;
        try
        {
            s = new Socket(AddressFamily.InterNetworkV6, SocketType.Dgram, ProtocolType.Udp);
        }
        catch (SocketException e)
        {
            LogIpv6Unavailable(logger, e.SocketErrorCode.ToString());
            return null;
        }

        var joined = new HashSet<int>();
        try
        {
            s.SetSocketOption(SocketOptionLevel.IPv6, SocketOptionName.IPv6Only, true);
            s.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            s.Bind(new IPEndPoint(IPAddress.IPv6Any, Port));
            s.SetSocketOption(SocketOptionLevel.IPv6, SocketOptionName.PacketInformation, true);
            s.SetSocketOption(SocketOptionLevel.IPv6, SocketOptionName.MulticastTimeToLive, 255);
            s.SetSocketOption(SocketOptionLevel.IPv6, SocketOptionName.MulticastLoopback, true);
        }
        catch (SocketException e)
        {
            s.Dispose();
            LogIpv6Unavailable(logger, e.SocketErrorCode.ToString());
            return null;
        }

        foreach (var nic in candidates)
        {
            try
            {
                s.SetSocketOption(SocketOptionLevel.IPv6, SocketOptionName.AddMembership, new IPv6MulticastOption(Ipv6Group, nic.Index));
                joined.Add(nic.Index);
                LogJoined(logger, Ipv6Group.ToString(), nic.Name, nic.Index);
            }
            catch (SocketException e)
            {
                LogIpv6JoinFailed(logger, nic.Name, e.SocketErrorCode);
            }
        }

        if (joined.Count == 0)
        {
            s.Dispose();
            LogIpv6Unavailable(logger, "ff02::fb could not be joined on any interface");
            return null;
        }

        return new MdnsSocket(s, AddressFamily.InterNetworkV6, joined);
    }

    /// <summary>Sends <paramref name="packet"/> to the group of this socket's family through <paramref name="nic"/>.</summary>
    public async Task SendMulticastAsync(MdnsInterface nic, byte[] packet, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(nic);
        await sendLock.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            EndPoint destination;
            if (Family == AddressFamily.InterNetworkV6)
            {
                // IPV6_MULTICAST_IF takes the interface index; the group's scope id names the same link.
                socket.SetSocketOption(SocketOptionLevel.IPv6, SocketOptionName.MulticastInterface, nic.Index);
                destination = new IPEndPoint(new IPAddress(Ipv6Group.GetAddressBytes(), nic.Index), Port);
            }
            else
            {
                // IP_MULTICAST_IF takes the interface's IPv4 address in network byte order.
                var address = BitConverter.ToInt32(nic.Ipv4Addresses[0].GetAddressBytes());
                socket.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.MulticastInterface, address);
                destination = new IPEndPoint(Group, Port);
            }

            await socket.SendToAsync(packet, SocketFlags.None, destination, ct).ConfigureAwait(false);
        }
        finally
        {
            sendLock.Release();
        }
    }

    /// <summary>Sends <paramref name="packet"/> straight to <paramref name="destination"/> (its scope id kept).</summary>
    public async Task SendUnicastAsync(byte[] packet, EndPoint destination, CancellationToken ct)
    {
        await sendLock.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            await socket.SendToAsync(packet, SocketFlags.None, destination, ct).ConfigureAwait(false);
        }
        finally
        {
            sendLock.Release();
        }
    }

    /// <summary>Receives one datagram with its sender and arrival interface.</summary>
    public ValueTask<SocketReceiveMessageFromResult> ReceiveAsync(Memory<byte> buffer, CancellationToken ct) =>
        socket.ReceiveMessageFromAsync(
            buffer,
            SocketFlags.None,
            new IPEndPoint(Family == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0),
            ct);

    public void Dispose()
    {
        socket.Dispose();
        sendLock.Dispose();
    }

    [LoggerMessage(EventId = 5101, Level = LogLevel.Debug, Message = "mDNS joined {Group} on {Interface} (index {Index})")]
    private static partial void LogJoined(ILogger logger, string group, string @interface, int index);

    [LoggerMessage(EventId = 5113, Level = LogLevel.Information, Message = "mDNS over IPv6 not available ({Reason}); advertising over IPv4 only")]
    private static partial void LogIpv6Unavailable(ILogger logger, string reason);

    [LoggerMessage(EventId = 5114, Level = LogLevel.Information, Message = "mDNS could not join ff02::fb on {Interface} ({Error}); IPv4 only there")]
    private static partial void LogIpv6JoinFailed(ILogger logger, string @interface, SocketError error);
}
