using Receiver.Web.Options;

namespace Receiver.Web.Tests.WebRtc;

public sealed class WebRtcOptionsTests
{
    [Theory]
    [InlineData(null, true)]
    [InlineData("", true)]
    [InlineData("http://127.0.0.1:8088/janus", true)]
    [InlineData("https://janus.example.lan/janus", true)]
    [InlineData("ftp://127.0.0.1/janus", false)]
    [InlineData("127.0.0.1:8088", false)]
    public void Validate_JanusUrl_IsAnHttpUrlWhenSet(string? url, bool valid)
    {
        var options = new ReceiverOptions { WebRtc = new WebRtcOptions { JanusUrl = url } };
        var result = new ReceiverOptionsValidator().Validate(null, options);
        Assert.Equal(valid, result.Succeeded);
        Assert.Equal(!string.IsNullOrEmpty(url), options.WebRtc.Enabled);
    }

    [Fact]
    public void Validate_MaxViewersOutOfRange_Fails()
    {
        var options = new ReceiverOptions { WebRtc = new WebRtcOptions { JanusUrl = "http://127.0.0.1:8088/janus", MaxViewers = 0 } };
        var result = new ReceiverOptionsValidator().Validate(null, options);
        Assert.True(result.Failed);
        Assert.Contains("MaxViewers", result.FailureMessage, StringComparison.Ordinal);
    }
}
