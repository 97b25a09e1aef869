using Receiver.Core.Casting;

namespace Receiver.Core.Tests.Casting;

public sealed class CorsOriginTests
{
    [Theory]
    [InlineData("https://rr3---sn-a.googlevideo.com/videoplayback/id/1", "https://rr3---sn-a.googlevideo.com")]
    [InlineData("http://127.0.0.1:8123/seg_0_1.ts", "http://127.0.0.1:8123")]
    [InlineData("HTTPS://CDN.Example.com:443/a.ts", "https://cdn.example.com")]
    [InlineData("http://cdn.example.com:8080/a.ts?x=1", "http://cdn.example.com:8080")]
    [InlineData("http://[2001:db8::1]/a.ts", null)]
    [InlineData("ftp://cdn.example.com/a.ts", null)]
    public void Of_WritesAnOriginAPolicyCanName(string url, string? expected) => Assert.Equal(expected, CorsOrigin.Of(new Uri(url)));

    [Theory]
    [InlineData("http", "127.0.0.1:5000", "http://127.0.0.1:5000")]
    [InlineData("https", "receiver.lan:8443", "https://receiver.lan:8443")]
    [InlineData("http", "receiver.lan", "http://receiver.lan")]
    [InlineData("http", "a b", null)]
    [InlineData("http", "x/y", null)]
    [InlineData("http", "user@host", null)]
    public void OfPage_TakesOnlyAPlainHost(string scheme, string host, string? expected) => Assert.Equal(expected, CorsOrigin.OfPage(scheme, host));

    [Theory]
    [InlineData("*", true)]
    [InlineData("http://127.0.0.1:5000", true)]
    [InlineData(" http://127.0.0.1:5000 ", true)]
    [InlineData("http://127.0.0.1:5001", false)]
    [InlineData("http://127.0.0.1", false)]
    [InlineData("null", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void Allows_OnlyAStarOrThePagesOwnOrigin(string? allowOrigin, bool expected) =>
        Assert.Equal(expected, CorsOrigin.Allows(allowOrigin, "http://127.0.0.1:5000"));

    [Theory]
    [InlineData("http://page", "http://cdn", true)]
    [InlineData("http://page", "https://cdn", true)]
    [InlineData("https://page", "https://cdn", true)]
    [InlineData("https://page", "http://cdn", false)]
    public void MayFetch_NoHttpFromAnHttpsPage(string page, string segment, bool expected) => Assert.Equal(expected, CorsOrigin.MayFetch(page, segment));
}
