using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace Receiver.Core.Discovery;

/// <summary>
/// The responder's UDP socket: bound to port 5353 next to the operating system's responder, member of 224.0.0.251
/// on the given interfaces only, reporting each packet's arrival interface (IP_PKTINFO) and sending multicast
/// through one chosen interface at a time (IP_MULTICAST_IF).
/// </summary>
public sealed partial class MdnsSocket : IDisposable
{
    public const int Port = 5353;

    public static readonly IPAddress Group = IPAddress.Parse("224.0.0.251");

    private readonly Socket socket;
    private readonly SemaphoreSlim sendLock = new(1, 1);

    private MdnsSocket(Socket socket) => this.socket = socket;

    /// <summary>Opens the socket and joins the group on each of <paramref name="interfaces"/>.</summary>
    public static MdnsSocket Open(IEnumerable<MdnsInterface> interfaces, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(interfaces);
        ArgumentNullException.ThrowIfNull(logger);
        var s = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
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
                LogJoined(logger, nic.Name, nic.Index);
            }
        }
        catch
        {
            s.Dispose();
            throw;
        }

        return new MdnsSocket(s);
    }

    /// <summary>Sends <paramref name="packet"/> to the group through <paramref name="nic"/>.</summary>
    public async Task SendMulticastAsync(MdnsInterface nic, byte[] packet, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(nic);
        await sendLock.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            // IP_MULTICAST_IF takes the interface's IPv4 address in network byte order.
            var address = BitConverter.ToInt32(nic.Addresses[0].GetAddressBytes());
            socket.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.MulticastInterface, address);
            await socket.SendToAsync(packet, SocketFlags.None, new IPEndPoint(Group, Port), ct).ConfigureAwait(false);
        }
        finally
        {
            sendLock.Release();
        }
    }

    /// <summary>Sends <paramref name="packet"/> straight to <paramref name="destination"/>.</summary>
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
        socket.ReceiveMessageFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), ct);

    public void Dispose()
    {
        socket.Dispose();
        sendLock.Dispose();
    }

    [LoggerMessage(EventId = 5101, Level = LogLevel.Debug, Message = "mDNS joined 224.0.0.251 on {Interface} (index {Index})")]
    private static partial void LogJoined(ILogger logger, string @interface, int index);
}
