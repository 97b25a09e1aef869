using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Receiver.Web.Security;
using Receiver.Web.Tests.Infrastructure;

namespace Receiver.Web.Tests.Security;

/// <summary>How an admin signs in, from an address the receiver does not trust (loopback with <c>TrustLoopback=false</c>).</summary>
public sealed class AdminSignInTests
{
    private const string Key = "script-key";
    private const string Password = "correct horse battery staple";

    private static Task<ReceiverHost> StartAsync(params string[] args) =>
        ReceiverHost.StartAsync(["--Receiver:Admin:TrustLoopback=false", .. args]);

    [Fact]
    public async Task Sessions_WithoutCredentials401_WithKey200_WithSignInCookie200()
    {
        await using var host = await StartAsync($"--Receiver:Admin:ApiKey={Key}", $"--Receiver:Admin:Password={Password}");
        using var anonymous = new HttpClient { BaseAddress = host.WebUrl };
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/sessions")).StatusCode);

        using var keyed = new HttpClient { BaseAddress = host.WebUrl };
        keyed.DefaultRequestHeaders.Add(ReceiverPolicies.ApiKeyHeader, Key);
        Assert.Equal(HttpStatusCode.OK, (await keyed.GetAsync("/api/sessions")).StatusCode);

        using var browser = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer() }) { BaseAddress = host.WebUrl };
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.PostAsJsonAsync("/auth/sign-in", new { secret = "wrong" })).StatusCode);
        using var signIn = await browser.PostAsJsonAsync("/auth/sign-in", new { secret = Password });
        Assert.Equal(HttpStatusCode.NoContent, signIn.StatusCode);
        var cookie = Assert.Single(signIn.Headers.GetValues("Set-Cookie"));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/api/sessions")).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await browser.PostAsync("/auth/sign-out", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetAsync("/api/sessions")).StatusCode);
    }

    [Fact]
    public async Task TrustedLoopback_IsAdminWithoutCredentials()
    {
        await using var host = await ReceiverHost.StartAsync($"--Receiver:Admin:ApiKey={Key}");
        using var http = new HttpClient { BaseAddress = host.WebUrl };

        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/api/sessions")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/metrics")).StatusCode);
    }

    [Fact]
    public async Task WrongKeys_AreRateLimitedPerAddress_With429()
    {
        await using var host = await StartAsync($"--Receiver:Admin:ApiKey={Key}");
        using var http = new HttpClient { BaseAddress = host.WebUrl };
        for (var i = 0; i < CredentialThrottle.MaxFailures; i++)
        {
            using var wrong = new HttpRequestMessage(HttpMethod.Get, "/api/sessions") { Headers = { { ReceiverPolicies.ApiKeyHeader, $"guess-{i}" } } };
            Assert.Equal(HttpStatusCode.Unauthorized, (await http.SendAsync(wrong)).StatusCode);
        }

        using var right = new HttpRequestMessage(HttpMethod.Get, "/api/sessions") { Headers = { { ReceiverPolicies.ApiKeyHeader, Key } } };
        using var refused = await http.SendAsync(right);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.NotNull(refused.Headers.RetryAfter);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await http.PostAsJsonAsync("/auth/sign-in", new { secret = Key })).StatusCode);
    }

    [Fact]
    public async Task GeneratedToken_WhenNothingIsConfigured_SignsInAndRotates()
    {
        await using var host = await StartAsync();
        var credentials = host.App.Services.GetRequiredService<AdminCredentials>();
        Assert.True(credentials.UsesGeneratedToken);
        var file = Path.Combine(host.DataDirectory, AdminCredentials.TokenFileName);
        Assert.True(File.Exists(file));
        Assert.Equal(64, File.ReadAllText(file).Trim().Length);

        var token = credentials.EnsureToken(rotate: true)!;
        Assert.DoesNotContain(token, File.ReadAllText(file), StringComparison.Ordinal);
        using var http = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer() }) { BaseAddress = host.WebUrl };
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("/api/sessions")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await http.PostAsJsonAsync("/auth/sign-in", new { secret = token })).StatusCode);

        using var rotated = await http.PostAsync("/api/admin-token", null);
        Assert.Equal(HttpStatusCode.Created, rotated.StatusCode);
        var info = await rotated.Content.ReadFromJsonAsync<AdminTokenInfo>();
        Assert.StartsWith($"{host.WebUrl.GetLeftPart(UriPartial.Authority)}/?token=", info!.Url, StringComparison.Ordinal);
        Assert.False(credentials.IsAdminKey(token));
        Assert.True(credentials.IsAdminKey(info.Token));
    }

    [Fact]
    public async Task GeneratedToken_IsKeptAcrossStarts_AsItsHashOnly()
    {
        await using var first = await StartAsync();
        var token = first.App.Services.GetRequiredService<AdminCredentials>().EnsureToken(rotate: true)!;
        var options = Microsoft.Extensions.Options.Options.Create(new Receiver.Web.Options.ReceiverOptions { DataDirectory = first.DataDirectory });
        var runtime = first.App.Services.GetRequiredService<Receiver.Web.Hosting.ReceiverRuntime>();
        var again = new AdminCredentials(options, runtime);

        Assert.Null(again.EnsureToken());
        Assert.True(again.IsAdminKey(token));
        Assert.False(again.IsAdminKey(token + "x"));
    }

    [Fact]
    public async Task ConfiguredKey_HasNoGeneratedToken_AndRotationIsRefused()
    {
        await using var host = await ReceiverHost.StartAsync($"--Receiver:Admin:ApiKey={Key}");
        using var http = new HttpClient { BaseAddress = host.WebUrl };

        Assert.False(File.Exists(Path.Combine(host.DataDirectory, AdminCredentials.TokenFileName)));
        Assert.Equal(HttpStatusCode.Conflict, (await http.PostAsync("/api/admin-token", null)).StatusCode);
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/view/0123456789ab")]
    [InlineData("/view/")]
    public async Task HtmlPages_AreAnonymous_AndCarryAContentSecurityPolicyWithoutInlineScript(string path)
    {
        await using var host = await StartAsync($"--Receiver:Admin:ApiKey={Key}");
        using var http = new HttpClient { BaseAddress = host.WebUrl };

        using var response = await http.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var policy = string.Join(";", response.Headers.GetValues(ContentSecurityPolicy.HeaderName));
        Assert.Contains("script-src 'self'", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", policy, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", policy, StringComparison.Ordinal);
        var html = await response.Content.ReadAsStringAsync();
        Assert.DoesNotMatch(@"<script(?![^>]*\bsrc=)(?![^>]*type=""importmap"")[^>]*>", html);
        Assert.DoesNotMatch(@"\son[a-z]+=""|\sstyle=""", html);
    }

    [Fact]
    public async Task CookieCalls_FromAnotherOrigin_AreRefused()
    {
        await using var host = await StartAsync($"--Receiver:Admin:Password={Password}");
        using var browser = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer() }) { BaseAddress = host.WebUrl };
        Assert.Equal(HttpStatusCode.NoContent, (await browser.PostAsJsonAsync("/auth/sign-in", new { secret = Password })).StatusCode);
        var own = host.WebUrl.GetLeftPart(UriPartial.Authority);

        using var forged = new HttpRequestMessage(HttpMethod.Delete, "/api/view-links") { Headers = { { "Origin", "http://127.0.0.1:1" } } };
        using var forgedSignIn = new HttpRequestMessage(HttpMethod.Post, "/auth/sign-in") { Headers = { { "Origin", "http://evil.example" } }, Content = JsonContent.Create(new { secret = Password }) };
        using var fromDashboard = new HttpRequestMessage(HttpMethod.Delete, "/api/view-links") { Headers = { { "Origin", own } } };

        Assert.Equal(HttpStatusCode.Forbidden, (await browser.SendAsync(forged)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await browser.SendAsync(forgedSignIn)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await browser.SendAsync(fromDashboard)).StatusCode);
    }

    [Fact]
    public async Task AllowedHosts_IsHonoured()
    {
        await using var host = await ReceiverHost.StartAsync("--AllowedHosts=receiver.lan");
        using var http = new HttpClient();
        using var foreign = new HttpRequestMessage(HttpMethod.Get, new Uri(host.WebUrl, "/healthz"));
        using var named = new HttpRequestMessage(HttpMethod.Get, new Uri(host.WebUrl, "/healthz")) { Headers = { Host = "receiver.lan" } };

        Assert.Equal(HttpStatusCode.BadRequest, (await http.SendAsync(foreign)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(named)).StatusCode);
    }

    [Fact]
    public async Task Metrics_NeedAdmin_UnlessPublic()
    {
        await using var closed = await StartAsync($"--Receiver:Admin:ApiKey={Key}");
        await using var open = await StartAsync($"--Receiver:Admin:ApiKey={Key}", "--Receiver:Admin:PublicMetrics=true");
        using var http = new HttpClient();

        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync(new Uri(closed.WebUrl, "/metrics"))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync(new Uri(closed.WebUrl, "/openapi/v1.json"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri(open.WebUrl, "/metrics"))).StatusCode);
    }
}
