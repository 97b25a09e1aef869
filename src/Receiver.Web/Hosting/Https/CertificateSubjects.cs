using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;

namespace Receiver.Web.Hosting.Https;

/// <summary>The names and addresses a self-signed certificate must cover (its subject alternative names).</summary>
public sealed class CertificateSubjects
{
    public CertificateSubjects(IEnumerable<string> dnsNames, IEnumerable<IPAddress> addresses)
    {
        ArgumentNullException.ThrowIfNull(dnsNames);
        ArgumentNullException.ThrowIfNull(addresses);
        DnsNames = dnsNames.Where(n => !string.IsNullOrWhiteSpace(n)).Select(n => n.Trim().ToLowerInvariant())
            .Where(IsDnsName).Distinct(StringComparer.Ordinal).ToArray();
        Addresses = addresses.Where(a => !a.Equals(IPAddress.Any) && !a.Equals(IPAddress.IPv6Any))
            .Select(a => a.IsIPv4MappedToIPv6 ? a.MapToIPv4() : a).Distinct().ToArray();
    }

    public IReadOnlyList<string> DnsNames { get; }

    public IReadOnlyList<IPAddress> Addresses { get; }

    /// <summary>The certificate's common name: the first DNS name (the host name).</summary>
    public string CommonName => DnsNames.Count > 0 ? DnsNames[0] : "localhost";

    /// <summary>
    /// This machine: its host name, <c>&lt;host&gt;.local</c>, <c>localhost</c>, the unicast addresses of its interfaces
    /// that are up (IPv6 link-local ones left out: a certificate cannot name their scope), and <paramref name="extra"/>
    /// (the configured subject names and the addresses the listeners are bound to).
    /// </summary>
    public static CertificateSubjects ForMachine(IEnumerable<string> extra, IEnumerable<IPAddress> listenAddresses)
    {
        ArgumentNullException.ThrowIfNull(extra);
        var host = Dns.GetHostName().Split('.')[0];
        var names = new List<string> { host, host + ".local", "localhost" };
        var addresses = new List<IPAddress> { IPAddress.Loopback };
        if (Socket.OSSupportsIPv6)
        {
            addresses.Add(IPAddress.IPv6Loopback);
        }

        addresses.AddRange(MachineAddresses());
        addresses.AddRange(listenAddresses);
        foreach (var item in extra.Where(e => !string.IsNullOrWhiteSpace(e)))
        {
            if (IPAddress.TryParse(item.Trim('[', ']'), out var address))
            {
                addresses.Add(address);
            }
            else
            {
                names.Add(item);
            }
        }

        return new CertificateSubjects(names, addresses);
    }

    /// <summary>
    /// Whether <paramref name="name"/> can be a DNS subject alternative name (IDNA-valid, as
    /// <see cref="SubjectAlternativeNameBuilder.AddDnsName"/> needs). A name with an empty label (<c>a..b</c>) or a label over 63 characters is not, and is left out.
    /// </summary>
    public static bool IsDnsName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        try
        {
            _ = new System.Globalization.IdnMapping().GetAscii(name);
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    /// <summary>The names and addresses of this set that <paramref name="certificate"/>'s subject alternative names do not list.</summary>
    public IReadOnlyList<string> MissingFrom(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        var san = certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().FirstOrDefault();
        if (san is null)
        {
            return [.. DnsNames, .. Addresses.Select(a => a.ToString())];
        }

        var dns = san.EnumerateDnsNames().Select(n => n.ToLowerInvariant()).ToHashSet(StringComparer.Ordinal);
        var ips = san.EnumerateIPAddresses().ToHashSet();
        return [.. DnsNames.Where(n => !dns.Contains(n)), .. Addresses.Where(a => !ips.Contains(a)).Select(a => a.ToString())];
    }

    private static IEnumerable<IPAddress> MachineAddresses()
    {
        NetworkInterface[] interfaces;
        try
        {
            interfaces = NetworkInterface.GetAllNetworkInterfaces();
        }
        catch (NetworkInformationException)
        {
            return [];
        }

        return interfaces
            .Where(i => i.OperationalStatus is OperationalStatus.Up or OperationalStatus.Unknown)
            .SelectMany(i => i.GetIPProperties().UnicastAddresses)
            .Select(u => u.Address)
            .Where(a => a.AddressFamily == AddressFamily.InterNetwork || (a.AddressFamily == AddressFamily.InterNetworkV6 && !a.IsIPv6LinkLocal))
            .Select(a => a.AddressFamily == AddressFamily.InterNetworkV6 && a.ScopeId != 0 ? new IPAddress(a.GetAddressBytes()) : a);
    }
}
