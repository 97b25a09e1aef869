using System.Net;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Receiver.Web.Hosting;

/// <summary>The listeners the host configured; after start-up their endpoints hold the ports actually bound (port 0 = any).</summary>
public sealed class ReceiverEndpoints
{
    private readonly List<ListenOptions> _web = [];
    private readonly List<ListenOptions> _https = [];

    internal ListenOptions? Control { get; set; }

    internal ListenOptions? Mirror { get; set; }

    internal void AddWeb(ListenOptions options) => _web.Add(options);

    internal void AddHttps(ListenOptions options) => _https.Add(options);

    public int ControlPort => Port(Control);

    public int MirrorPort => Port(Mirror);

    /// <summary>The plain-HTTP web UI/API endpoints as URLs, e.g. <c>http://127.0.0.1:8080</c>.</summary>
    public IReadOnlyList<Uri> WebUrls => Urls(_web, "http");

    /// <summary>The HTTPS endpoints as URLs, e.g. <c>https://127.0.0.1:8443</c>; empty when HTTPS is off.</summary>
    public IReadOnlyList<Uri> HttpsUrls => Urls(_https, "https");

    /// <summary>The bound HTTPS port (the first HTTPS listener's), or 0 when HTTPS is off.</summary>
    public int HttpsPort => _https.Count == 0 ? 0 : Port(_https[0]);

    public bool IsBound => Control?.IPEndPoint is { Port: > 0 } && Mirror?.IPEndPoint is { Port: > 0 };

    private static int Port(ListenOptions? options) => options?.IPEndPoint?.Port ?? 0;

    private static Uri[] Urls(List<ListenOptions> listeners, string scheme) =>
        listeners.Select(w => w.IPEndPoint is { } ep ? new Uri($"{scheme}://{Host(ep)}:{ep.Port}") : new Uri(w.ToString() ?? $"{scheme}://127.0.0.1")).ToArray();

    private static string Host(IPEndPoint endpoint)
    {
        if (endpoint.Address.Equals(IPAddress.Any) || endpoint.Address.Equals(IPAddress.IPv6Any))
        {
            return "127.0.0.1";
        }

        return endpoint.Address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{endpoint.Address}]" : endpoint.Address.ToString();
    }
}
