using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Receiver.Web.Hosting.Https;
using Receiver.Web.Tests.Infrastructure;

namespace Receiver.Web.Tests.Https;

/// <summary>The HTTPS listener next to HTTP: the certificate it presents is the one the API and <c>/viewer-info</c> report.</summary>
[Collection(SerialCollection.Name)]
public sealed class HttpsListenerTests
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    [Fact]
    public async Task HttpsListener_PresentsTheCertificateWhoseFingerprintTheApiReports()
    {
        await using var host = await ReceiverHost.StartAsync();
        using var http = new HttpClient { BaseAddress = host.WebUrl };
        var info = await http.GetFromJsonAsync<JsonElement>("/api/receiver", Json);
        var https = info.GetProperty("https");
        var fingerprint = https.GetProperty("fingerprint").GetString()!;
        Assert.Matches("^([0-9A-F]{2}:){31}[0-9A-F]{2}$", fingerprint);
        Assert.Equal(host.HttpsUrl.Port, https.GetProperty("port").GetInt32());
        Assert.Equal($"https://127.0.0.1:{host.HttpsUrl.Port}/", https.GetProperty("url").GetString());
        Assert.True(https.GetProperty("selfSigned").GetBoolean());
        Assert.True(https.GetProperty("notAfter").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddDays(300));

        var (status, presented) = await GetOverHttpsAsync(host.HttpsUrl, "/healthz", fingerprint);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(fingerprint, presented);
    }

    [Fact]
    public async Task ViewerInfo_Anonymous_ReportsOnlyTheHttpsPortAndFingerprint()
    {
        await using var host = await ReceiverHost.StartAsync("--Receiver:Admin:ApiKey=secret");
        using var http = new HttpClient { BaseAddress = host.WebUrl };

        using var response = await http.GetAsync(new Uri(ViewerInfo.Path, UriKind.Relative));
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(Json);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        Assert.Equal(["httpsPort", "fingerprint"], body.EnumerateObject().Select(p => p.Name));
        Assert.Equal(host.HttpsUrl.Port, body.GetProperty("httpsPort").GetInt32());
        var (_, presented) = await GetOverHttpsAsync(host.HttpsUrl, "/healthz", body.GetProperty("fingerprint").GetString()!);
        Assert.Equal(body.GetProperty("fingerprint").GetString(), presented);
    }

    [Fact]
    public async Task HttpsOff_NoListenerAndNothingReported()
    {
        await using var host = await ReceiverHost.StartAsync("--Receiver:Web:EnableHttps=false");
        using var http = new HttpClient { BaseAddress = host.WebUrl };

        var info = await http.GetFromJsonAsync<JsonElement>("/api/receiver", Json);
        var viewer = await http.GetFromJsonAsync<JsonElement>(ViewerInfo.Path, Json);

        Assert.Empty(host.Endpoints.HttpsUrls);
        Assert.Equal(JsonValueKind.Null, info.GetProperty("https").ValueKind);
        Assert.Equal(JsonValueKind.Null, viewer.GetProperty("httpsPort").ValueKind);
    }

    [Fact]
    public async Task ConfiguredPemCertificate_IsServedInsteadOfTheSelfSignedOne()
    {
        var directory = Directory.CreateTempSubdirectory("airplay-pem-");
        try
        {
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var request = new CertificateRequest("CN=my-receiver.example", key, HashAlgorithmName.SHA256);
            using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(90));
            var certificatePath = Path.Combine(directory.FullName, "cert.pem");
            var keyPath = Path.Combine(directory.FullName, "key.pem");
            await File.WriteAllTextAsync(certificatePath, certificate.ExportCertificatePem());
            await File.WriteAllTextAsync(keyPath, key.ExportPkcs8PrivateKeyPem());
            var expected = CertificateFingerprint.Sha256(certificate);

            await using var host = await ReceiverHost.StartAsync($"--Receiver:Web:Certificate:Path={certificatePath}", $"--Receiver:Web:Certificate:KeyPath={keyPath}");
            using var http = new HttpClient { BaseAddress = host.WebUrl };
            var https = (await http.GetFromJsonAsync<JsonElement>("/api/receiver", Json)).GetProperty("https");
            var (status, presented) = await GetOverHttpsAsync(host.HttpsUrl, "/healthz", expected);

            Assert.Equal(expected, https.GetProperty("fingerprint").GetString());
            Assert.False(https.GetProperty("selfSigned").GetBoolean());
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Equal(expected, presented);
            Assert.False(File.Exists(Path.Combine(host.DataDirectory, SelfSignedCertificateStore.CertificateFileName)));
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task ConfiguredCertificateMissing_ReceiverDoesNotStartAndSaysWhy()
    {
        var missing = Path.Combine(Path.GetTempPath(), "airplay-no-such-" + Guid.NewGuid().ToString("N") + ".pem");

        // Kestrel's listeners (and with them the certificate) are set up while the host is built, before options validation.
        var error = await Assert.ThrowsAnyAsync<Exception>(() => ReceiverHost.StartAsync($"--Receiver:Web:Certificate:Path={missing}"));

        Assert.Contains($"Receiver:Web:Certificate:Path: the file '{missing}' does not exist.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConfiguredCertificateUnreadable_ReceiverDoesNotStartAndSaysWhy()
    {
        var path = Path.Combine(Path.GetTempPath(), "airplay-bad-" + Guid.NewGuid().ToString("N") + ".pem");
        await File.WriteAllTextAsync(path, "not a certificate");
        try
        {
            var error = await Assert.ThrowsAsync<InvalidOperationException>(() => ReceiverHost.StartAsync($"--Receiver:Web:Certificate:Path={path}"));

            Assert.Contains($"Receiver:Web:Certificate: cannot load '{path}'", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData("--Receiver:Web:Certificate:SubjectNames:0=bad..name", "Receiver:Web:Certificate:SubjectNames: 'bad..name' is neither an IP address nor a host name.")]
    [InlineData("--Receiver:Web:Certificate:KeyPath=/tmp/key.pem", "Receiver:Web:Certificate:KeyPath is set without Receiver:Web:Certificate:Path.")]
    public async Task InvalidHttpsOptions_ReceiverDoesNotStartAndSaysWhy(string argument, string reason)
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() => ReceiverHost.StartAsync(argument));

        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    /// <summary>GETs <paramref name="path"/> over HTTPS, trusting only a certificate with <paramref name="fingerprint"/>; returns the fingerprint presented.</summary>
    private static async Task<(HttpStatusCode Status, string? Presented)> GetOverHttpsAsync(Uri baseUrl, string path, string fingerprint)
    {
        string? presented = null;
        using var handler = new SocketsHttpHandler
        {
            SslOptions =
            {
                RemoteCertificateValidationCallback = (_, certificate, _, _) =>
                {
                    presented = certificate is null ? null : CertificateFingerprint.Format(certificate.GetCertHash(HashAlgorithmName.SHA256));
                    return presented == fingerprint;
                },
            },
        };
        using var client = new HttpClient(handler) { BaseAddress = baseUrl };
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
        return (response.StatusCode, presented);
    }
}
