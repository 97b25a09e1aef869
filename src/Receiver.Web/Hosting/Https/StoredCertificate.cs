using System.Security.Cryptography.X509Certificates;

namespace Receiver.Web.Hosting.Https;

/// <summary>A certificate with its private key, where it came from, and why it was renewed (null when it was not).</summary>
public sealed record StoredCertificate(X509Certificate2 Certificate, CertificateOrigin Origin, string? RenewalReason = null)
{
    /// <summary>The rest of the chain to send after the certificate (intermediates of a configured certificate).</summary>
    public X509Certificate2Collection Chain { get; init; } = [];
}
