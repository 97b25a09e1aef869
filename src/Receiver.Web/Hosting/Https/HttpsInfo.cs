namespace Receiver.Web.Hosting.Https;

/// <summary>The HTTPS listener as the dashboard shows it (<c>GET /api/receiver</c>, <c>https</c>; null when HTTPS is off).</summary>
/// <param name="Url">The receiver over HTTPS at the host name the request used, e.g. <c>https://receiver.local:8443/</c>.</param>
/// <param name="Port">The bound HTTPS port.</param>
/// <param name="Fingerprint">The certificate's SHA-256 fingerprint, colon-separated hex (compare it with what the browser shows).</param>
/// <param name="NotAfter">When the certificate expires.</param>
/// <param name="SelfSigned">True for the receiver's own certificate, false for one configured with <c>Receiver:Web:Certificate:Path</c>.</param>
public sealed record HttpsInfo(Uri Url, int Port, string Fingerprint, DateTimeOffset NotAfter, bool SelfSigned)
{
    /// <summary>The HTTPS listener's details for a request that arrived at <paramref name="host"/>, or null when HTTPS is off.</summary>
    public static HttpsInfo? From(HttpsCertificate certificate, ReceiverEndpoints endpoints, string host)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        ArgumentNullException.ThrowIfNull(endpoints);
        if (certificate.Current is not { } current || endpoints.HttpsPort == 0)
        {
            return null;
        }

        var url = new UriBuilder("https", string.IsNullOrEmpty(host) ? "localhost" : host, endpoints.HttpsPort).Uri;
        return new HttpsInfo(url, endpoints.HttpsPort, CertificateFingerprint.Sha256(current.Certificate), HttpsCertificate.NotAfter(current.Certificate),
            current.Origin != CertificateOrigin.Configured);
    }
}
