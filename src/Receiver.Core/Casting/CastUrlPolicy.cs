using System.Net;
using System.Net.Sockets;

namespace Receiver.Core.Casting;

/// <summary>
/// Which video addresses a cast may name. A receiver on a LAN plays what phones on that LAN point it at, so public
/// and private (RFC 1918, ULA) addresses are allowed: a NAS or the phone itself serves from them. Refused are URLs that
/// are not http(s) (<c>file:</c> above all) and hosts that are internal-only: the machine itself (loopback and the
/// <c>localhost</c> names, unless <see cref="AllowLoopback"/>), link-local addresses (169.254.0.0/16 with the cloud
/// metadata service, fe80::/10), the unspecified address and multicast. What a page or the receiver would fetch from
/// such a host is not the phone's video but something of the receiver's or the viewer's own machine.
/// </summary>
public sealed class CastUrlPolicy
{
    /// <summary>The scheme of playlists only the phone can resolve (<c>mlhls://localhost/master.m3u8</c>).</summary>
    public const string PhoneScheme = "mlhls";

    /// <summary>Accept loopback hosts (a receiver and its senders on one machine: tests, demos).</summary>
    public bool AllowLoopback { get; init; }

    /// <summary>Checks <paramref name="location"/>; null when it may be played, else why not.</summary>
    public string? Refusal(string location, out Uri? url)
    {
        url = null;
        if (!Uri.TryCreate(location, UriKind.Absolute, out var parsed))
        {
            return "the video address is not an absolute URL";
        }

        if (parsed.Scheme == Uri.UriSchemeFile)
        {
            return "file: URLs are refused";
        }

        if (parsed.Scheme == PhoneScheme)
        {
            // Only the phone resolves it (YouTube): the receiver asks the phone for it over the reverse channel.
            url = parsed;
            return null;
        }

        if (parsed.Scheme != Uri.UriSchemeHttp && parsed.Scheme != Uri.UriSchemeHttps)
        {
            return $"{parsed.Scheme}: URLs are not supported";
        }

        if (!string.IsNullOrEmpty(parsed.UserInfo))
        {
            return "URLs with credentials are refused";
        }

        var hostRefusal = HostRefusal(parsed);
        if (hostRefusal is not null)
        {
            return hostRefusal;
        }

        url = parsed;
        return null;
    }

    /// <summary>Why <paramref name="url"/>'s host may not be used, or null.</summary>
    public string? HostRefusal(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        var host = url.IdnHost.TrimEnd('.');
        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase))
        {
            return AllowLoopback ? null : "loopback addresses are internal-only";
        }

        return IPAddress.TryParse(url.HostNameType == UriHostNameType.IPv6 ? url.Host.Trim('[', ']') : host, out var address)
            ? AddressRefusal(address)
            : null;
    }

    /// <summary>Why <paramref name="address"/> may not be fetched from, or null (also applied to resolved names).</summary>
    public string? AddressRefusal(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (IPAddress.IsLoopback(address))
        {
            return AllowLoopback ? null : "loopback addresses are internal-only";
        }

        if (address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any) || address.Equals(IPAddress.Broadcast))
        {
            return "the unspecified and broadcast addresses are refused";
        }

        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            var bytes = address.GetAddressBytes();
            if (bytes[0] == 169 && bytes[1] == 254)
            {
                return "link-local addresses are internal-only";
            }

            if (bytes[0] is >= 224 and <= 239)
            {
                return "multicast addresses are refused";
            }

            if (bytes[0] == 0)
            {
                return "the unspecified and broadcast addresses are refused";
            }
        }
        else if (address.IsIPv6LinkLocal || address.IsIPv6SiteLocal)
        {
            return "link-local addresses are internal-only";
        }
        else if (address.IsIPv6Multicast)
        {
            return "multicast addresses are refused";
        }

        return null;
    }
}
