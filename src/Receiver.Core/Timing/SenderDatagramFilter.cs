using System.Net;
using System.Net.Sockets;

namespace Receiver.Core.Timing;

/// <summary>
/// Which UDP datagrams of a session's sockets (audio data, audio control, timing) are the sender's: those from the
/// address its control connection came from. Every other datagram is dropped and counted here, one tally per session.
/// The check on a <see cref="SocketAddress"/> reads the address bytes in place, so the receive path allocates nothing.
/// </summary>
public sealed class SenderDatagramFilter
{
    private static long s_totalDropped;
    private readonly byte[] _address;
    private long _dropped;

    public SenderDatagramFilter(IPAddress sender, SenderLiveness? liveness = null)
    {
        ArgumentNullException.ThrowIfNull(sender);
        Liveness = liveness;
        Sender = sender.IsIPv4MappedToIPv6 ? sender.MapToIPv4() : sender;
        _address = Sender.GetAddressBytes();
    }

    /// <summary>Told of every datagram accepted from the sender, when the filter belongs to a session.</summary>
    public SenderLiveness? Liveness { get; }

    /// <summary>The sender's address.</summary>
    public IPAddress Sender { get; }

    /// <summary>Datagrams from any other address, dropped.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Datagrams dropped by every session's filter since the start.</summary>
    public static long TotalDropped => Interlocked.Read(ref s_totalDropped);

    /// <summary>True for a datagram from the sender; otherwise counts it and returns false.</summary>
    public bool Accept(EndPoint? from) =>
        (from is IPEndPoint ip && (ip.Address.IsIPv4MappedToIPv6 ? ip.Address.MapToIPv4() : ip.Address).Equals(Sender) && Heard()) || Drop();

    /// <summary>True for a datagram from the sender (a socket address of the sender's family); otherwise counts it and returns false.</summary>
    public bool Accept(SocketAddress from)
    {
        ArgumentNullException.ThrowIfNull(from);
        var bytes = from.Buffer.Span;
        var (offset, length) = from.Family switch
        {
            AddressFamily.InterNetwork => (4, 4),      // sockaddr_in: family, port, address
            AddressFamily.InterNetworkV6 => (8, 16),   // sockaddr_in6: family, port, flow info, address
            _ => (0, 0),
        };
        return (length == _address.Length && from.Size >= offset + length && bytes.Slice(offset, length).SequenceEqual(_address) && Heard()) || Drop();
    }

    private bool Heard()
    {
        Liveness?.Heard();
        return true;
    }

    private bool Drop()
    {
        Interlocked.Increment(ref _dropped);
        Interlocked.Increment(ref s_totalDropped);
        return false;
    }
}
