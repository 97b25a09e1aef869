using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Receiver.Core.Access;
using Receiver.Web.Hosting;
using Receiver.Web.Hosting.Https;
using Receiver.Web.Options;

namespace Receiver.Web.Tests.Https;

/// <summary>The self-signed HTTPS certificate kept in the data directory: made once, reused, renewed near its end or when the machine moves.</summary>
public sealed class SelfSignedCertificateStoreTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "airplay-receiver-tests", "https-" + Guid.NewGuid().ToString("N"));
    private readonly CertificateSubjects _subjects = new(["receiver-box", "receiver-box.local", "localhost"],
        [IPAddress.Loopback, IPAddress.Parse("192.0.2.10"), IPAddress.Parse("2001:db8::10")]);

    [Fact]
    public void LoadOrCreate_EmptyDirectory_CreatesP256ServerCertificateWithEveryName()
    {
        var store = new SelfSignedCertificateStore(_directory);

        var stored = store.LoadOrCreate(_subjects, Start);

        Assert.Equal(CertificateOrigin.Created, stored.Origin);
        var certificate = stored.Certificate;
        Assert.True(certificate.HasPrivateKey);
        using (var key = certificate.GetECDsaPublicKey())
        {
            Assert.NotNull(key);
            Assert.Equal(256, key.KeySize);
        }

        var san = Assert.Single(certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>());
        Assert.Equal(["receiver-box", "receiver-box.local", "localhost"], san.EnumerateDnsNames());
        Assert.Equal(_subjects.Addresses, san.EnumerateIPAddresses());
        var eku = Assert.Single(certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>());
        Assert.Equal("1.3.6.1.5.5.7.3.1", Assert.Single(eku.EnhancedKeyUsages.Cast<System.Security.Cryptography.Oid>()).Value);
        Assert.False(Assert.Single(certificate.Extensions.OfType<X509BasicConstraintsExtension>()).CertificateAuthority);
        Assert.Equal(Start + SelfSignedCertificate.Validity, HttpsCertificate.NotAfter(certificate));
        Assert.True(File.Exists(store.CertificatePath));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(store.KeyPath));
        }
    }

    [Fact]
    public void Subjects_HostNameNotValidInDns_LeftOutInsteadOfFailingTheStart()
    {
        var subjects = new CertificateSubjects(["bad..name", new string('x', 64) + ".local", "localhost"], [IPAddress.Loopback]);

        var stored = new SelfSignedCertificateStore(_directory).LoadOrCreate(subjects, Start);

        Assert.Equal(["localhost"], subjects.DnsNames);
        Assert.Equal(["localhost"], stored.Certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single().EnumerateDnsNames());
    }

    [Fact]
    public void LoadOrCreate_SecondStart_ReusesTheKeptCertificate()
    {
        var first = new SelfSignedCertificateStore(_directory).LoadOrCreate(_subjects, Start);

        var second = new SelfSignedCertificateStore(_directory).LoadOrCreate(_subjects, Start.AddDays(200));

        Assert.Equal(CertificateOrigin.Reused, second.Origin);
        Assert.Null(second.RenewalReason);
        Assert.Equal(CertificateFingerprint.Sha256(first.Certificate), CertificateFingerprint.Sha256(second.Certificate));
        Assert.True(second.Certificate.HasPrivateKey);
    }

    [Theory]
    [InlineData(334, false)]
    [InlineData(336, true)]
    [InlineData(400, true)]
    public void LoadOrCreate_NearOrPastExpiry_Renews(int days, bool renewed)
    {
        var first = new SelfSignedCertificateStore(_directory).LoadOrCreate(_subjects, Start);

        var later = new SelfSignedCertificateStore(_directory).LoadOrCreate(_subjects, Start.AddDays(days));

        Assert.Equal(renewed ? CertificateOrigin.Renewed : CertificateOrigin.Reused, later.Origin);
        Assert.Equal(renewed, CertificateFingerprint.Sha256(first.Certificate) != CertificateFingerprint.Sha256(later.Certificate));
        if (renewed)
        {
            Assert.Contains("expire", later.RenewalReason, StringComparison.Ordinal);
            Assert.Equal(Start.AddDays(days) + SelfSignedCertificate.Validity, HttpsCertificate.NotAfter(later.Certificate));
        }
    }

    [Fact]
    public void LoadOrCreate_MachineHasANewAddress_RenewsAndNamesIt()
    {
        new SelfSignedCertificateStore(_directory).LoadOrCreate(_subjects, Start);
        var moved = new CertificateSubjects(_subjects.DnsNames, [.. _subjects.Addresses, IPAddress.Parse("198.51.100.7")]);

        var later = new SelfSignedCertificateStore(_directory).LoadOrCreate(moved, Start.AddDays(1));

        Assert.Equal(CertificateOrigin.Renewed, later.Origin);
        Assert.Contains("198.51.100.7", later.RenewalReason, StringComparison.Ordinal);
        Assert.Empty(moved.MissingFrom(later.Certificate));
    }

    [Fact]
    public void LoadOrCreate_AddressGone_KeepsTheCertificate()
    {
        var first = new SelfSignedCertificateStore(_directory).LoadOrCreate(_subjects, Start);
        var fewer = new CertificateSubjects(_subjects.DnsNames, [IPAddress.Loopback]);

        var later = new SelfSignedCertificateStore(_directory).LoadOrCreate(fewer, Start.AddDays(1));

        Assert.Equal(CertificateOrigin.Reused, later.Origin);
        Assert.Equal(first.Certificate.Thumbprint, later.Certificate.Thumbprint);
    }

    [Fact]
    public void LoadOrCreate_KeptFileDamaged_MakesANewOne()
    {
        var store = new SelfSignedCertificateStore(_directory);
        store.LoadOrCreate(_subjects, Start);
        File.WriteAllText(store.CertificatePath, "-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n");

        var later = store.LoadOrCreate(_subjects, Start);

        Assert.Equal(CertificateOrigin.Renewed, later.Origin);
        Assert.Contains("could not be read", later.RenewalReason, StringComparison.Ordinal);
    }

    [Fact]
    public void Select_RunningIntoTheRenewalWindow_PresentsARenewedCertificate()
    {
        var time = new FakeTimeProvider(Start);
        var options = Microsoft.Extensions.Options.Options.Create(new ReceiverOptions { DataDirectory = _directory });
        var runtime = new ReceiverRuntime(options, new ReceiverEndpoints(), new AccessOptions());
        var https = new HttpsCertificate(options, runtime, time, NullLogger<HttpsCertificate>.Instance);
        var first = https.Initialize([IPAddress.Parse("192.0.2.44")]);
        Assert.Contains(IPAddress.Parse("192.0.2.44"), first.Certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single().EnumerateIPAddresses());

        time.Advance(TimeSpan.FromDays(300));
        Assert.Same(first.Certificate, https.Select());
        time.Advance(TimeSpan.FromDays(36));
        var renewed = https.Select();

        Assert.NotNull(renewed);
        Assert.NotEqual(first.Certificate.Thumbprint, renewed.Thumbprint);
        Assert.Equal(CertificateOrigin.Renewed, https.Current!.Origin);
        Assert.Equal(time.GetUtcNow() + SelfSignedCertificate.Validity, HttpsCertificate.NotAfter(renewed));
        Assert.Same(renewed, https.Select());
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }
}
