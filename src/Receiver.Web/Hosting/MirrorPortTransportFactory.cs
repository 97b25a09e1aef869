using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.Options;

namespace Receiver.Web.Hosting;

/// <summary>
/// The transport of the mirror port only (<see cref="MirrorPortEndPoint"/>): it accepts the port's connections itself
/// and reads each with a thread of its own and blocking reads (<see cref="MirrorSocketConnection"/>), as a mirror
/// stream is read best, while the web, HTTPS and control listeners keep Kestrel's socket transport. Kestrel still runs
/// the port's middleware (the connection caps) and its handler on these connections, and drains them at shutdown.
/// Registered after Kestrel's transport; Kestrel asks the transports last-registered first, and this one takes
/// nothing else.
/// </summary>
/// <remarks>
/// The application's <see cref="SocketTransportOptions"/> give the listen socket (<c>CreateBoundListenSocket</c>) and
/// its backlog. Until a flow takes its packets over, a connection's input pipe is read into 64 KiB
/// <see cref="TransportBlockPool"/> blocks.
/// </remarks>
public sealed class MirrorPortTransportFactory(IOptions<SocketTransportOptions> application, TransportBlockPoolFactory blocks, ILoggerFactory loggerFactory)
    : IConnectionListenerFactory, IConnectionListenerFactorySelector
{
    public bool CanBind(EndPoint endpoint) => endpoint is MirrorPortEndPoint;

    public ValueTask<IConnectionListener> BindAsync(EndPoint endpoint, CancellationToken cancellationToken = default)
    {
        if (endpoint is not MirrorPortEndPoint mirror)
        {
            throw new ArgumentException($"The mirror port's transport binds only a {nameof(MirrorPortEndPoint)}, not {endpoint}.", nameof(endpoint));
        }

        var options = application.Value;
        Socket socket;
        try
        {
            socket = options.CreateBoundListenSocket(new IPEndPoint(mirror.Address, mirror.Port));
        }
        catch (SocketException ex) when (mirror.Address.Equals(IPAddress.IPv6Any) && ex.SocketErrorCode is SocketError.AddressFamilyNotSupported or SocketError.ProtocolNotSupported)
        {
            // A host without IPv6: any IPv4 address, as Kestrel's ListenAnyIP falls back.
            socket = options.CreateBoundListenSocket(new IPEndPoint(IPAddress.Any, mirror.Port));
        }
        catch (SocketException ex) when (ex.SocketErrorCode == SocketError.AddressAlreadyInUse)
        {
            throw new AddressInUseException(ex.Message, ex);
        }

        try
        {
            socket.Listen(options.Backlog);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        return ValueTask.FromResult<IConnectionListener>(
            new MirrorPortListener(socket, blocks.Create(), loggerFactory.CreateLogger<MirrorSocketConnection>()));
    }
}
