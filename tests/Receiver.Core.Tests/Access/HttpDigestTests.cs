using System.Security.Cryptography;
using Receiver.Core.Access;

namespace Receiver.Core.Tests.Access;

public sealed class HttpDigestTests
{
    // RFC 2617 section 3.5.
    private const string RfcAuthorization =
        "Digest username=\"Mufasa\", realm=\"testrealm@host.com\", nonce=\"dcd98b7102dd2f0e8b11d0f600bfb0c093\", uri=\"/dir/index.html\", " +
        "qop=auth, nc=00000001, cnonce=\"0a4f113b\", response=\"6629fae49393a05397450978507c4ef1\", opaque=\"5ccc069c403ebaf9f0171e9517f40e41\"";

    [Fact]
    public void Verify_Rfc2617Example_IsAccepted()
    {
        Assert.True(HttpDigest.Verify(RfcAuthorization, "GET", "Circle Of Life", "dcd98b7102dd2f0e8b11d0f600bfb0c093", "testrealm@host.com"));
    }

    [Theory]
    [InlineData("GET", "Circle of Life", "dcd98b7102dd2f0e8b11d0f600bfb0c093")]
    [InlineData("POST", "Circle Of Life", "dcd98b7102dd2f0e8b11d0f600bfb0c093")]
    [InlineData("GET", "Circle Of Life", "00000000000000000000000000000000")]
    public void Verify_Rfc2617Example_WrongPasswordMethodOrNonce_IsRefused(string method, string password, string nonce)
    {
        Assert.False(HttpDigest.Verify(RfcAuthorization, method, password, nonce, "testrealm@host.com"));
    }

    [Fact]
    public void Authorization_Rfc2617Challenge_GivesTheRfcResponse()
    {
        const string challenge = "Digest realm=\"testrealm@host.com\", qop=\"auth,auth-int\", nonce=\"dcd98b7102dd2f0e8b11d0f600bfb0c093\", opaque=\"5ccc069c403ebaf9f0171e9517f40e41\"";
        var authorization = HttpDigest.Authorization("GET", "/dir/index.html", "Mufasa", "Circle Of Life", challenge, "0a4f113b", 1);

        Assert.True(HttpDigest.TryParse(authorization, "Digest", out var fields));
        Assert.Equal("6629fae49393a05397450978507c4ef1", fields["response"]);
        Assert.Equal("00000001", fields["nc"]);
        Assert.Equal("auth", fields["qop"]);
        Assert.Equal("5ccc069c403ebaf9f0171e9517f40e41", fields["opaque"]);
    }

    [Fact]
    public void Challenge_ThenAuthorization_WithoutQop_Verifies()
    {
        var nonce = HttpDigest.NewNonce(RandomNumberGenerator.Create());
        var challenge = HttpDigest.Challenge(nonce);
        Assert.Equal($"Digest realm=\"raop\", nonce=\"{nonce}\"", challenge);

        var authorization = HttpDigest.Authorization("SETUP", "rtsp://192.168.1.2/1234", "AirPlay", "secret", challenge);

        Assert.DoesNotContain("qop", authorization, StringComparison.Ordinal);
        Assert.True(HttpDigest.Verify(authorization, "SETUP", "secret", nonce));
        Assert.False(HttpDigest.Verify(authorization, "SETUP", "Secret", nonce));
        Assert.False(HttpDigest.Verify(authorization, "SETUP", "secret", HttpDigest.NewNonce(RandomNumberGenerator.Create())));
    }

    [Fact]
    public void NewNonce_Is32LowerCaseHexDigits_AndFresh()
    {
        using var random = RandomNumberGenerator.Create();
        var nonce = HttpDigest.NewNonce(random);
        Assert.Matches("^[0-9a-f]{32}$", nonce);
        Assert.NotEqual(nonce, HttpDigest.NewNonce(random));
    }

    [Fact]
    public void Verify_UnquotedValuesAnyOrderAndUpperCaseResponse_IsAccepted()
    {
        const string nonce = "0123456789abcdef0123456789abcdef";
        var reference = HttpDigest.Authorization("SETUP", "rtsp://h/1", "user", "pw", HttpDigest.Challenge(nonce));
        HttpDigest.TryParse(reference, "Digest", out var fields);
        var reordered = $"digest   response={fields["response"].ToUpperInvariant()},uri=\"rtsp://h/1\" ,  nonce={nonce}, realm=raop,username=\"user\"";

        Assert.True(HttpDigest.Verify(reordered, "SETUP", "pw", nonce));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Basic dXNlcjpwdw==")]
    [InlineData("Digest")]
    [InlineData("Digest username=\"user")]
    [InlineData("Digest username=user, nonce=0123456789abcdef0123456789abcdef, uri=/, response")]
    [InlineData("Digest username=user, nonce=0123456789abcdef0123456789abcdef, uri=/, response=00, qop=auth")]
    [InlineData("Digest username=user, nonce=0123456789abcdef0123456789abcdef, uri=/, response=00, qop=auth-int, nc=1, cnonce=x")]
    public void Verify_MissingOrMalformedHeader_IsFalse(string? header)
    {
        Assert.False(HttpDigest.Verify(header, "SETUP", "pw", "0123456789abcdef0123456789abcdef"));
    }

    [Fact]
    public void Verify_QuotedValueWithCommaAndEscape_IsParsed()
    {
        Assert.True(HttpDigest.TryParse("Digest username=\"a, \\\"b\\\"\", uri=\"/x\"", "Digest", out var fields));
        Assert.Equal("a, \"b\"", fields["username"]);
        Assert.Equal("/x", fields["uri"]);
    }
}
