using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Options;
using Receiver.Web.Options;

namespace Receiver.Web.Hosting.Https;

/// <summary>
/// The certificate the HTTPS listeners present: the configured PEM files, or the self-signed one kept in the data
/// directory (made on first start, renewed at start and, while running, once it is within
/// <see cref="SelfSignedCertificateStore.RenewBefore"/> of its end by <see cref="TimeProvider"/>). Its SHA-256
/// fingerprint is logged once when loaded and shown on the dashboard.
/// </summary>
public sealed partial class HttpsCertificate(IOptions<ReceiverOptions> options, ReceiverRuntime runtime, TimeProvider time, ILogger<HttpsCertificate> logger)
{
    private readonly Lock _lock = new();
    private StoredCertificate? _current;
    private CertificateSubjects? _subjects;
    private DateTimeOffset _renewAt = DateTimeOffset.MaxValue;

    public bool Enabled => options.Value.Web.EnableHttps;

    /// <summary>The certificate in use; null until the listeners are configured or when HTTPS is off.</summary>
    public StoredCertificate? Current
    {
        get
        {
            lock (_lock)
            {
                return _current;
            }
        }
    }

    /// <summary>
    /// Loads or makes the certificate (once); the self-signed one also covers <paramref name="listenAddresses"/>.
    /// Called while Kestrel is configured, so a certificate that cannot be loaded stops the receiver at start.
    /// </summary>
    /// <exception cref="InvalidOperationException">The configured certificate cannot be loaded; the message says why.</exception>
    public StoredCertificate Initialize(IEnumerable<IPAddress> listenAddresses)
    {
        ArgumentNullException.ThrowIfNull(listenAddresses);
        lock (_lock)
        {
            if (_current is not null)
            {
                return _current;
            }

            var certificate = options.Value.Web.Certificate;
            if (!string.IsNullOrWhiteSpace(certificate.Path))
            {
                _current = ConfiguredCertificate.Load(certificate.Path, certificate.KeyPath);
            }
            else
            {
                _subjects = CertificateSubjects.ForMachine(certificate.SubjectNames, listenAddresses);
                _current = new SelfSignedCertificateStore(runtime.DataDirectory).LoadOrCreate(_subjects, time.GetUtcNow());
                _renewAt = NotAfter(_current.Certificate) - SelfSignedCertificateStore.RenewBefore;
            }

            Report(_current);
            return _current;
        }
    }

    /// <summary>For Kestrel's certificate selector: the self-signed certificate, renewed first when its time has come.</summary>
    public X509Certificate2? Select()
    {
        lock (_lock)
        {
            if (_current is not null && _subjects is not null && time.GetUtcNow() >= _renewAt)
            {
                _current = new SelfSignedCertificateStore(runtime.DataDirectory).LoadOrCreate(_subjects, time.GetUtcNow());
                _renewAt = NotAfter(_current.Certificate) - SelfSignedCertificateStore.RenewBefore;
                Report(_current);
            }

            return _current?.Certificate;
        }
    }

    internal static DateTimeOffset NotAfter(X509Certificate2 certificate) => new(certificate.NotAfter.ToUniversalTime(), TimeSpan.Zero);

    private void Report(StoredCertificate stored)
    {
        var certificate = stored.Certificate;
        var fingerprint = CertificateFingerprint.Sha256(certificate);
        if (stored.RenewalReason is { } reason)
        {
            LogRenewed(logger, reason);
        }

        LogCertificate(logger, stored.Origin, certificate.Subject, NotAfter(certificate), fingerprint);
        if (stored.Origin == CertificateOrigin.Configured && NotAfter(certificate) <= time.GetUtcNow())
        {
            LogConfiguredExpired(logger, NotAfter(certificate));
        }
    }

    [LoggerMessage(EventId = 150, Level = LogLevel.Information, Message = "HTTPS certificate ({Origin}) {Subject}, valid until {NotAfter:yyyy-MM-dd}, SHA-256 fingerprint {Fingerprint}")]
    private static partial void LogCertificate(ILogger logger, CertificateOrigin origin, string subject, DateTimeOffset notAfter, string fingerprint);

    [LoggerMessage(EventId = 151, Level = LogLevel.Warning, Message = "The self-signed HTTPS certificate was replaced because {Reason}; browsers that trusted the old one must trust the new one")]
    private static partial void LogRenewed(ILogger logger, string reason);

    [LoggerMessage(EventId = 152, Level = LogLevel.Warning, Message = "The configured HTTPS certificate expired on {NotAfter:yyyy-MM-dd}; browsers will refuse it")]
    private static partial void LogConfiguredExpired(ILogger logger, DateTimeOffset notAfter);
}
