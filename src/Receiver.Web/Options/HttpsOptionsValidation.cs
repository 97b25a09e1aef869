namespace Receiver.Web.Options;

/// <summary>Checks <c>Receiver:Web</c> at start: the HTTPS port and the certificate settings.</summary>
internal static class HttpsOptionsValidation
{
    public static IEnumerable<string> Validate(ReceiverOptions options)
    {
        var web = options.Web;
        if (!web.EnableHttps)
        {
            yield break;
        }

        if (web.HttpsPort is < 0 or > 65535)
        {
            yield return "Receiver:Web:HttpsPort must be between 0 and 65535.";
        }

        if (web.HttpsPort != 0 && (web.HttpsPort == options.ControlPort || web.HttpsPort == options.MirrorPort))
        {
            yield return "Receiver:Web:HttpsPort must differ from Receiver:ControlPort and Receiver:MirrorPort.";
        }

        // A configured certificate file that is missing or unreadable stops the start while Kestrel is set up
        // (ConfiguredCertificate says which file and why), before options validation runs.
        var certificate = web.Certificate;
        foreach (var name in certificate.SubjectNames ?? [])
        {
            if (string.IsNullOrWhiteSpace(name)
                || (!System.Net.IPAddress.TryParse(name.Trim('[', ']'), out _) && !Hosting.Https.CertificateSubjects.IsDnsName(name.Trim())))
            {
                yield return $"Receiver:Web:Certificate:SubjectNames: '{name}' is neither an IP address nor a host name.";
            }
        }

        if (string.IsNullOrWhiteSpace(certificate.Path) && !string.IsNullOrWhiteSpace(certificate.KeyPath))
        {
            yield return "Receiver:Web:Certificate:KeyPath is set without Receiver:Web:Certificate:Path.";
        }
    }
}
