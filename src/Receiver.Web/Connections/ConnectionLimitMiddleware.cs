using System.Net;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Receiver.Web.Connections;

/// <summary>
/// Kestrel connection middleware in front of a port's connection handler: a connection beyond the
/// <see cref="ConnectionLimiter"/>'s caps is closed at once, before a byte of it is read.
/// </summary>
public static class ConnectionLimitMiddleware
{
    public static ListenOptions UseConnectionLimit(this ListenOptions listen, ConnectionLimiter limiter)
    {
        ArgumentNullException.ThrowIfNull(listen);
        ArgumentNullException.ThrowIfNull(limiter);
        listen.Use(next => async connection =>
        {
            var address = (connection.RemoteEndPoint as IPEndPoint)?.Address ?? IPAddress.None;
            using var lease = limiter.TryAcquire(address);
            if (lease is null)
            {
                connection.Abort(new ConnectionAbortedException("connection limit reached"));
                return;
            }

            await next(connection);
        });
        return listen;
    }
}
