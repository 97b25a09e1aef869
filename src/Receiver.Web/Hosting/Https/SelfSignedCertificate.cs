using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Receiver.Web.Hosting.Https;

/// <summary>Makes the receiver's self-signed TLS server certificate: ECDSA P-256, serverAuth, one subject alternative name per host name and address.</summary>
public static class SelfSignedCertificate
{
    /// <summary>How long a new certificate is valid.</summary>
    public static readonly TimeSpan Validity = TimeSpan.FromDays(365);

    public static X509Certificate2 Create(CertificateSubjects subjects, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(subjects);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={subjects.CommonName}, O=AirPlay Web Receiver", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        foreach (var name in subjects.DnsNames)
        {
            names.AddDnsName(name);
        }

        foreach (var address in subjects.Addresses)
        {
            names.AddIpAddress(address);
        }

        request.CertificateExtensions.Add(names.Build(critical: false));
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: false, hasPathLengthConstraint: false, pathLengthConstraint: 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1", "Server Authentication")], critical: false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));

        // A minute back for clocks that differ a little between the receiver and the browser's machine.
        return request.CreateSelfSigned(now.AddMinutes(-1), now + Validity);
    }
}
