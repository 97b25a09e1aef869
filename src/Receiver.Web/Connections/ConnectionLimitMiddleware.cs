using System.Net;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Receiver.Web.Connections;

/// <summary>
/// Kestrel connection middleware in front of a port's connection handler: a connection beyond the
/// <see cref="ConnectionLimiter"/>'s caps is closed at once, before a byte of it is read. The handler finds the
/// connection's place as the <see cref="ConnectionLimiter.Lease"/> feature and protects it once the connection carries
/// a session (<see cref="ProtectPlace"/>).
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
            using var lease = limiter.TryAcquire(address, () => connection.Abort(new ConnectionAbortedException("connection closed to admit a less busy address")));
            if (lease is null)
            {
                connection.Abort(new ConnectionAbortedException("connection limit reached"));
                return;
            }

            connection.Features.Set(lease);
            await next(connection);
        });
        return listen;
    }

    /// <summary>The connection carries a session: it is never closed to make room for another address.</summary>
    public static void ProtectPlace(this ConnectionContext connection) =>
        connection?.Features.Get<ConnectionLimiter.Lease>()?.Protect();
}
