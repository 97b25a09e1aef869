using System.Buffers;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;

namespace Receiver.Web.Hosting;

/// <summary>The mirror port's listen socket: each accepted socket becomes a <see cref="MirrorSocketConnection"/>.</summary>
internal sealed class MirrorPortListener(Socket socket, MemoryPool<byte> blocks, ILogger logger) : IConnectionListener
{
    public EndPoint EndPoint { get; } = socket.LocalEndPoint!;

    public async ValueTask<ConnectionContext?> AcceptAsync(CancellationToken cancellationToken = default)
    {
        while (true)
        {
            Socket accepted;
            try
            {
                // Accepted sockets start blocking and are never used asynchronously (see MirrorSocketConnection).
                accepted = await socket.AcceptAsync(cancellationToken);
            }
            catch (ObjectDisposedException)
            {
                // Unbound: no more connections.
                return null;
            }
            catch (SocketException ex) when (ex.SocketErrorCode == SocketError.OperationAborted)
            {
                return null;
            }
            catch (SocketException)
            {
                // A connection reset while it waited in the backlog: take the next one.
                continue;
            }

            try
            {
                return new MirrorSocketConnection(accepted, blocks, logger);
            }
            catch (SocketException)
            {
                // Closed before it could be set up (its addresses are gone).
                accepted.Dispose();
            }
        }
    }

    public ValueTask UnbindAsync(CancellationToken cancellationToken = default)
    {
        socket.Dispose();
        return default;
    }

    public ValueTask DisposeAsync()
    {
        socket.Dispose();
        blocks.Dispose();
        return default;
    }
}
