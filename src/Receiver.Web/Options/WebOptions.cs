using System.ComponentModel.DataAnnotations;

namespace Receiver.Web.Options;

/// <summary>The web listeners beyond <c>urls</c> (<c>Receiver:Web</c>): HTTPS next to HTTP.</summary>
public sealed class WebOptions
{
    /// <summary>Serve the web UI over HTTPS too (the viewer's low-latency WebCodecs player needs a secure context).</summary>
    public bool EnableHttps { get; set; } = true;

    /// <summary>The HTTPS port, bound on the same addresses as the HTTP <c>urls</c>. 0 = any free port.</summary>
    [Range(0, 65535)]
    public int HttpsPort { get; set; } = 8443;

    [Required]
    public CertificateOptions Certificate { get; set; } = new();
}

/// <summary>The HTTPS certificate (<c>Receiver:Web:Certificate</c>): your own PEM files, or a self-signed one kept in the data directory.</summary>
public sealed class CertificateOptions
{
    /// <summary>A PEM certificate (chain) file. Empty = a self-signed certificate made and kept in the data directory.</summary>
    public string? Path { get; set; }

    /// <summary>The PEM private key file for <see cref="Path"/>. Empty = the key is in the <see cref="Path"/> file.</summary>
    public string? KeyPath { get; set; }

    /// <summary>
    /// Extra host names or IP addresses the self-signed certificate must cover (e.g. the Docker host's address or a
    /// DNS name), next to the host name, <c>&lt;host&gt;.local</c>, <c>localhost</c> and the machine's addresses.
    /// </summary>
    public string[] SubjectNames { get; set; } = [];
}
