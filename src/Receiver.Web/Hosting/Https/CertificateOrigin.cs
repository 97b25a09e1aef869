namespace Receiver.Web.Hosting.Https;

/// <summary>Where the HTTPS certificate in use came from.</summary>
public enum CertificateOrigin
{
    /// <summary>The PEM files named by <c>Receiver:Web:Certificate:Path</c> / <c>KeyPath</c>.</summary>
    Configured,

    /// <summary>The self-signed certificate kept in the data directory, reused.</summary>
    Reused,

    /// <summary>A self-signed certificate made now: there was none in the data directory.</summary>
    Created,

    /// <summary>A self-signed certificate made now in place of one that was about to expire or no longer covered the machine.</summary>
    Renewed,
}
