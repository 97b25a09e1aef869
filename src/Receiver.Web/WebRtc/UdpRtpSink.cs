using System.Net;
using System.Net.Sockets;
using Receiver.Core.Rtp;

namespace Receiver.Web.WebRtc;

/// <summary>Sends RTP packets as UDP datagrams to one address (a Janus mountpoint's port).</summary>
public sealed class UdpRtpSink : IRtpPacketSink, IDisposable
{
    private readonly Socket _socket;

    public UdpRtpSink(IPEndPoint destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        _socket = new Socket(destination.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        _socket.Connect(destination);
    }

    /// <summary>Datagrams the network refused (nobody listening yet, a full buffer); RTP goes on without them.</summary>
    public long Refused { get; private set; }

    public void Send(ReadOnlySpan<byte> packet)
    {
        try
        {
            _socket.Send(packet);
        }
        catch (SocketException)
        {
            Refused++;
        }
    }

    public void Dispose() => _socket.Dispose();
}
