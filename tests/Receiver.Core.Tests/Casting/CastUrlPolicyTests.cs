using System.Net;
using Receiver.Core.Casting;

namespace Receiver.Core.Tests.Casting;

public sealed class CastUrlPolicyTests
{
    [Theory]
    [InlineData("http://192.168.1.20:8080/movie.mp4")]
    [InlineData("https://rr3.googlevideo.com/videoplayback?x=1")]
    [InlineData("http://[fd00::5]/a.m3u8")]
    [InlineData("mlhls://localhost/master.m3u8")]
    public void LanPublicAndPhoneUrls_AreAllowed(string url) =>
        Assert.Null(new CastUrlPolicy().Refusal(url, out _));

    [Theory]
    [InlineData("file:///etc/passwd", "file: URLs are refused")]
    [InlineData("http://127.0.0.2/a.mp4", "loopback addresses are internal-only")]
    [InlineData("http://[::1]/a.mp4", "loopback addresses are internal-only")]
    [InlineData("http://app.localhost/a.mp4", "loopback addresses are internal-only")]
    [InlineData("http://169.254.169.254/", "link-local addresses are internal-only")]
    [InlineData("http://0.0.0.0/", "the unspecified and broadcast addresses are refused")]
    [InlineData("http://239.1.1.1/", "multicast addresses are refused")]
    [InlineData("http://user:pw@example.com/a.mp4", "URLs with credentials are refused")]
    [InlineData("movie.mp4", "the video address is not an absolute URL")]
    public void FileAndInternalOnlyUrls_AreRefused(string url, string reason) =>
        Assert.Equal(reason, new CastUrlPolicy().Refusal(url, out _));

    [Fact]
    public void Loopback_IsAllowedOnlyWhenConfigured()
    {
        var policy = new CastUrlPolicy { AllowLoopback = true };
        Assert.Null(policy.Refusal("http://127.0.0.1:5000/clip.mp4", out _));
        Assert.Null(policy.AddressRefusal(IPAddress.Loopback));
        Assert.NotNull(policy.AddressRefusal(IPAddress.Parse("169.254.1.1")));
    }
}
