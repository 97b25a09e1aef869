using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Receiver.Web.Hosting.Https;

/// <summary>A certificate's SHA-256 fingerprint as browsers show it: upper-case hex pairs joined by colons.</summary>
public static class CertificateFingerprint
{
    public static string Sha256(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        return Format(certificate.GetCertHash(HashAlgorithmName.SHA256));
    }

    public static string Format(ReadOnlySpan<byte> hash) => string.Join(':', hash.ToArray().Select(b => b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture)));
}
