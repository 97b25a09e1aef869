using System.Net;
using Receiver.Web.Hosting;

namespace Receiver.Web.Security;

/// <summary>
/// Makes the generated admin token on first start (when no API key or password is configured) and, once the web
/// port is bound, logs the one line that shows it: <c>Sign in: http://host:8080/?token=…</c>. Later starts only say
/// that a token exists; <c>POST /api/admin-token</c> (or deleting <see cref="AdminCredentials.TokenFileName"/>) makes a new one.
/// </summary>
public sealed partial class AdminTokenAnnouncer(AdminCredentials credentials, ReceiverEndpoints endpoints, IHostApplicationLifetime lifetime, ILogger<AdminTokenAnnouncer> logger)
    : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (!credentials.UsesGeneratedToken)
        {
            return Task.CompletedTask;
        }

        var token = credentials.EnsureToken();
        lifetime.ApplicationStarted.Register(() =>
        {
            var port = endpoints.WebUrls.Count > 0 ? endpoints.WebUrls[0].Port : 8080;
            if (token is null)
            {
                LogTokenExists(logger, AdminCredentials.TokenFileName);
            }
            else
            {
                LogSignIn(logger, $"http://{Dns.GetHostName()}:{port}/?token={token}");
            }
        });
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    // The one log line that carries a secret, by design (as Jupyter prints its token): it is written only when the token is made.
    [LoggerMessage(EventId = 90, Level = LogLevel.Warning, Message = "Sign in: {Url}")]
    private static partial void LogSignIn(ILogger logger, string url);

    [LoggerMessage(EventId = 91, Level = LogLevel.Information, Message = "Admins sign in with the token made on first start (its hash is in {File}); POST /api/admin-token makes a new one")]
    private static partial void LogTokenExists(ILogger logger, string file);
}
