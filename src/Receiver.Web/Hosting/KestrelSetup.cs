using Microsoft.AspNetCore.Connections;
using System.Net;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Receiver.Web.Connections;
using Receiver.Web.Options;

namespace Receiver.Web.Hosting;

/// <summary>
/// Binds the AirPlay control and mirror ports as raw connection handlers and the web UI where <c>Urls</c> says.
/// Explicit listeners make Kestrel ignore <c>Urls</c>, so the web addresses are bound here too.
/// </summary>
public static class KestrelSetup
{
    public const string DefaultUrls = "http://0.0.0.0:8080";

    /// <param name="urls">The <c>urls</c> setting (<c>;</c>-separated), or null for <see cref="DefaultUrls"/>.</param>
    public static void Configure(KestrelServerOptions kestrel, IConfiguration configuration, string? urls, ReceiverEndpoints endpoints)
    {
        var options = configuration.GetSection(ReceiverOptions.SectionName).Get<ReceiverOptions>() ?? new ReceiverOptions();
        kestrel.AddServerHeader = false;

        kestrel.ListenAnyIP(options.ControlPort, listen =>
        {
            listen.UseConnectionHandler<RtspConnectionHandler>();
            endpoints.Control = listen;
        });
        kestrel.ListenAnyIP(options.MirrorPort, listen =>
        {
            listen.UseConnectionHandler<MirrorConnectionHandler>();
            endpoints.Mirror = listen;
        });

        foreach (var url in (string.IsNullOrWhiteSpace(urls) ? DefaultUrls : urls).Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            BindWeb(kestrel, url, endpoints);
        }
    }

    private static void BindWeb(KestrelServerOptions kestrel, string url, ReceiverEndpoints endpoints)
    {
        var address = BindingAddress.Parse(url);
        if (!string.Equals(address.Scheme, "http", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException($"Web address '{url}': only http is served; put a TLS proxy in front for https.");
        }

        var port = address.Port;
        Action<ListenOptions> configure = endpoints.AddWeb;
        switch (address.Host)
        {
            case "*" or "+" or "[::]":
                kestrel.ListenAnyIP(port, configure);
                break;
            case "localhost":
                kestrel.Listen(IPAddress.Loopback, port, configure);
                break;
            default:
                var host = address.Host.Trim('[', ']');
                if (!IPAddress.TryParse(host, out var ip))
                {
                    throw new InvalidOperationException($"Web address '{url}': use an IP address, '*' or 'localhost'.");
                }

                kestrel.Listen(ip, port, configure);
                break;
        }
    }
}
