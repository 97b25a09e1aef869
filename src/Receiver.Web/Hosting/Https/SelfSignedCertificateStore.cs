using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Receiver.Web.Hosting.Https;

/// <summary>
/// Keeps the self-signed HTTPS certificate in the data directory as PEM (<c>https-certificate.pem</c>, and
/// <c>https-key.pem</c> readable by the owner only): reuses it on later starts and replaces it when it expires
/// within <see cref="RenewBefore"/> or no longer lists every name and address it must cover.
/// </summary>
public sealed class SelfSignedCertificateStore
{
    public const string CertificateFileName = "https-certificate.pem";
    public const string KeyFileName = "https-key.pem";

    /// <summary>A certificate this close to its end (or past it) is replaced.</summary>
    public static readonly TimeSpan RenewBefore = TimeSpan.FromDays(30);

    public SelfSignedCertificateStore(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        Directory = directory;
    }

    public string Directory { get; }

    public string CertificatePath => Path.Combine(Directory, CertificateFileName);

    public string KeyPath => Path.Combine(Directory, KeyFileName);

    /// <summary>The kept certificate when it is still good at <paramref name="now"/> for <paramref name="subjects"/>; otherwise a new one, kept.</summary>
    public StoredCertificate LoadOrCreate(CertificateSubjects subjects, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(subjects);
        var existing = TryLoad(out var unreadable);
        if (existing is not null)
        {
            var reason = RenewalReason(existing, subjects, now);
            if (reason is null)
            {
                return new StoredCertificate(existing, CertificateOrigin.Reused);
            }

            existing.Dispose();
            return new StoredCertificate(CreateAndKeep(subjects, now), CertificateOrigin.Renewed, reason);
        }

        var created = CreateAndKeep(subjects, now);
        return unreadable is null
            ? new StoredCertificate(created, CertificateOrigin.Created)
            : new StoredCertificate(created, CertificateOrigin.Renewed, unreadable);
    }

    /// <summary>Why <paramref name="certificate"/> must be replaced at <paramref name="now"/>, or null when it may stay.</summary>
    public static string? RenewalReason(X509Certificate2 certificate, CertificateSubjects subjects, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        ArgumentNullException.ThrowIfNull(subjects);
        var notAfter = new DateTimeOffset(certificate.NotAfter.ToUniversalTime(), TimeSpan.Zero);
        var notBefore = new DateTimeOffset(certificate.NotBefore.ToUniversalTime(), TimeSpan.Zero);
        if (now >= notAfter - RenewBefore)
        {
            return now >= notAfter ? $"it expired on {notAfter:yyyy-MM-dd}" : $"it expires on {notAfter:yyyy-MM-dd}";
        }

        if (now < notBefore)
        {
            return $"it is not valid before {notBefore:yyyy-MM-dd HH:mm}";
        }

        var missing = subjects.MissingFrom(certificate);
        return missing.Count == 0 ? null : $"it does not cover {string.Join(", ", missing)}";
    }

    private X509Certificate2? TryLoad(out string? unreadable)
    {
        unreadable = null;
        if (!File.Exists(CertificatePath) || !File.Exists(KeyPath))
        {
            return null;
        }

        try
        {
            var certificate = X509Certificate2.CreateFromPemFile(CertificatePath, KeyPath);
            if (certificate.HasPrivateKey)
            {
                return certificate;
            }

            certificate.Dispose();
            unreadable = "the kept certificate has no private key";
        }
        catch (CryptographicException ex)
        {
            unreadable = $"the kept certificate could not be read ({ex.Message})";
        }

        return null;
    }

    private X509Certificate2 CreateAndKeep(CertificateSubjects subjects, DateTimeOffset now)
    {
        var certificate = SelfSignedCertificate.Create(subjects, now);
        using var key = certificate.GetECDsaPrivateKey() ?? throw new InvalidOperationException("The new certificate has no ECDSA key.");
        System.IO.Directory.CreateDirectory(Directory);
        WriteAtomically(KeyPath, key.ExportPkcs8PrivateKeyPem(), ownerOnly: true);
        WriteAtomically(CertificatePath, certificate.ExportCertificatePem(), ownerOnly: false);
        return certificate;
    }

    /// <summary>Writes under a unique temporary name, then moves into place: a crash never leaves half a file.</summary>
    private static void WriteAtomically(string path, string text, bool ownerOnly)
    {
        var temporary = Path.Combine(Path.GetDirectoryName(path)!, $".{Path.GetFileName(path)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = ownerOnly
                ? UnixFileMode.UserRead | UnixFileMode.UserWrite
                : UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
        }

        try
        {
            using (var stream = new FileStream(temporary, options))
            {
                stream.Write(System.Text.Encoding.ASCII.GetBytes(text));
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary))
            {
                File.Delete(temporary);
            }
        }
    }
}
