using Microsoft.AspNetCore.Connections;
using System.Net;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Receiver.Web.Connections;
using Receiver.Web.Hosting.Https;
using Receiver.Web.Options;

namespace Receiver.Web.Hosting;

/// <summary>
/// Binds the AirPlay control and mirror ports as raw connection handlers, the web UI where <c>Urls</c> says, and
/// HTTPS on <c>Receiver:Web:HttpsPort</c> on the same addresses. Explicit listeners make Kestrel ignore <c>Urls</c>,
/// so the web addresses are bound here too.
/// </summary>
public static class KestrelSetup
{
    public const string DefaultUrls = "http://0.0.0.0:8080";

    /// <param name="urls">The <c>urls</c> setting (<c>;</c>-separated), or null for <see cref="DefaultUrls"/>.</param>
    public static void Configure(KestrelServerOptions kestrel, IConfiguration configuration, string? urls, ReceiverEndpoints endpoints)
    {
        ArgumentNullException.ThrowIfNull(kestrel);
        var options = configuration.GetSection(ReceiverOptions.SectionName).Get<ReceiverOptions>() ?? new ReceiverOptions();
        kestrel.AddServerHeader = false;

        var controlLimit = kestrel.ApplicationServices.GetRequiredService<ConnectionLimiter>();
        var mirrorLimit = kestrel.ApplicationServices.GetRequiredKeyedService<ConnectionLimiter>(ConnectionLimiter.MirrorPort);
        kestrel.ListenAnyIP(options.ControlPort, listen =>
        {
            // Connections beyond the caps (in total, per address) are closed before the handler sees them.
            listen.UseConnectionLimit(controlLimit);
            listen.UseConnectionHandler<RtspConnectionHandler>();
            endpoints.Control = listen;
        });
        // The mirror port on a transport of its own (MirrorPortTransportFactory: large reads, packets read where the
        // socket read completed), on any address of both families like the other ports.
        kestrel.Listen(new MirrorPortEndPoint(IPAddress.IPv6Any, options.MirrorPort), listen =>
        {
            // A session holds one data connection here (the legacy flow one HTTP connection that becomes its stream).
            listen.UseConnectionLimit(mirrorLimit);
            listen.UseConnectionHandler<MirrorConnectionHandler>();
            endpoints.Mirror = listen;
        });

        var web = (string.IsNullOrWhiteSpace(urls) ? DefaultUrls : urls).Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(ParseWeb).ToArray();
        foreach (var (address, port) in web)
        {
            Listen(kestrel, address, port, endpoints.AddWeb);
        }

        if (options.Web.EnableHttps)
        {
            BindHttps(kestrel, options.Web.HttpsPort, web.Select(w => w.Address).ToArray(), endpoints);
        }
    }

    /// <summary>HTTPS on <paramref name="port"/> at each distinct address HTTP is bound to (once on any address when one of them is).</summary>
    private static void BindHttps(KestrelServerOptions kestrel, int port, IPAddress?[] addresses, ReceiverEndpoints endpoints)
    {
        var certificate = kestrel.ApplicationServices.GetRequiredService<HttpsCertificate>();
        var hosts = Distinct(addresses);
        var stored = certificate.Initialize(hosts.OfType<IPAddress>());
        var https = stored.Origin == CertificateOrigin.Configured
            ? new HttpsConnectionAdapterOptions { ServerCertificate = stored.Certificate, ServerCertificateChain = stored.Chain }
            : new HttpsConnectionAdapterOptions { ServerCertificateSelector = (_, _) => certificate.Select() };
        foreach (var host in hosts)
        {
            Listen(kestrel, host, port, listen =>
            {
                // HTTP/1.1 as on the plain listener: over HTTP/2 a browser runs the media WebSocket as an extended
                // CONNECT stream (RFC 8441), which the GET-mapped media endpoint does not take, and which would share
                // one TCP connection and its flow control with every other request of the page; over HTTP/1.1 each
                // viewer's media socket has a connection of its own.
                listen.Protocols = HttpProtocols.Http1;
                listen.UseHttps(https);
                endpoints.AddHttps(listen);
            });
        }
    }

    /// <summary>The addresses to bind once each: a wildcard covers the rest (two binds of one port would collide).</summary>
    private static IPAddress?[] Distinct(IPAddress?[] addresses)
    {
        if (addresses.Contains(null))
        {
            return [null];
        }

        var distinct = addresses.Distinct().ToArray();
        return distinct.Contains(IPAddress.Any)
            ? [IPAddress.Any, .. distinct.Where(a => a!.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork)]
            : distinct;
    }

    private static void Listen(KestrelServerOptions kestrel, IPAddress? address, int port, Action<ListenOptions> configure)
    {
        if (address is null)
        {
            kestrel.ListenAnyIP(port, configure);
        }
        else
        {
            kestrel.Listen(address, port, configure);
        }
    }

    /// <summary>An <c>http://</c> URL as the address to bind (null = any) and port.</summary>
    private static (IPAddress? Address, int Port) ParseWeb(string url)
    {
        var address = BindingAddress.Parse(url);
        if (!string.Equals(address.Scheme, "http", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException($"Web address '{url}': only http URLs go here; HTTPS is bound on Receiver:Web:HttpsPort at the same addresses.");
        }

        switch (address.Host)
        {
            case "*" or "+" or "[::]":
                return (null, address.Port);
            case "localhost":
                return (IPAddress.Loopback, address.Port);
            default:
                var host = address.Host.Trim('[', ']');
                if (!IPAddress.TryParse(host, out var ip))
                {
                    throw new InvalidOperationException($"Web address '{url}': use an IP address, '*' or 'localhost'.");
                }

                return (ip, address.Port);
        }
    }
}
