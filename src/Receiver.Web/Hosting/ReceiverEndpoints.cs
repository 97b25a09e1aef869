using System.Net;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Receiver.Web.Hosting;

/// <summary>The listeners the host configured; after start-up their endpoints hold the ports actually bound (port 0 = any).</summary>
public sealed class ReceiverEndpoints
{
    private readonly List<ListenOptions> _web = [];

    internal ListenOptions? Control { get; set; }

    internal ListenOptions? Mirror { get; set; }

    internal void AddWeb(ListenOptions options) => _web.Add(options);

    public int ControlPort => Port(Control);

    public int MirrorPort => Port(Mirror);

    /// <summary>The web UI/API endpoints as URLs, e.g. <c>http://127.0.0.1:8080</c>.</summary>
    public IReadOnlyList<Uri> WebUrls => _web.Select(w => w.IPEndPoint is { } ep ? new Uri($"http://{Host(ep)}:{ep.Port}") : new Uri(w.ToString() ?? "http://127.0.0.1")).ToArray();

    public bool IsBound => Control?.IPEndPoint is { Port: > 0 } && Mirror?.IPEndPoint is { Port: > 0 };

    private static int Port(ListenOptions? options) => options?.IPEndPoint?.Port ?? 0;

    private static string Host(IPEndPoint endpoint)
    {
        if (endpoint.Address.Equals(IPAddress.Any) || endpoint.Address.Equals(IPAddress.IPv6Any))
        {
            return "127.0.0.1";
        }

        return endpoint.Address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{endpoint.Address}]" : endpoint.Address.ToString();
    }
}
