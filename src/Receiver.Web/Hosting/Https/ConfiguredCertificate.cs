using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Receiver.Web.Hosting.Https;

/// <summary>Loads the operator's PEM certificate (<c>Receiver:Web:Certificate:Path</c>, and <c>KeyPath</c> or a key in the same file).</summary>
public static class ConfiguredCertificate
{
    /// <exception cref="InvalidOperationException">The files cannot be read or hold no usable certificate and key; the message says why.</exception>
    public static StoredCertificate Load(string path, string? keyPath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        foreach (var (setting, file) in new[] { ("Path", path), ("KeyPath", keyPath) })
        {
            if (!string.IsNullOrWhiteSpace(file) && !File.Exists(file))
            {
                throw new InvalidOperationException($"Receiver:Web:Certificate:{setting}: the file '{file}' does not exist.");
            }
        }

        try
        {
            var certificate = string.IsNullOrWhiteSpace(keyPath)
                ? X509Certificate2.CreateFromPemFile(path)
                : X509Certificate2.CreateFromPemFile(path, keyPath);
            if (!certificate.HasPrivateKey)
            {
                certificate.Dispose();
                throw new InvalidOperationException($"Receiver:Web:Certificate: '{path}' has no private key; set Receiver:Web:Certificate:KeyPath.");
            }

            var all = new X509Certificate2Collection();
            all.ImportFromPemFile(path);
            var chain = new X509Certificate2Collection();
            foreach (var other in all.Skip(1))
            {
                chain.Add(other);
            }

            all[0].Dispose();
            return new StoredCertificate(certificate, CertificateOrigin.Configured) { Chain = chain };
        }
        catch (Exception ex) when (ex is CryptographicException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            throw new InvalidOperationException(
                $"Receiver:Web:Certificate: cannot load '{path}'{(string.IsNullOrWhiteSpace(keyPath) ? string.Empty : $" with key '{keyPath}'")}: {ex.Message}", ex);
        }
    }
}
