using System.CommandLine;
using System.Net;
using System.Text;
using Receiver.Sender.Sessions;
using Receiver.Sender.Video;

namespace Receiver.Web.Tests.Sender;

/// <summary>The simulator's PIN and identity options: <c>--pin</c>, <c>--admin-url</c>, <c>--api-key</c>, <c>--device-id</c>, <c>--identity</c>.</summary>
public sealed class SenderPairingOptionsTests
{
    [Fact]
    public void Bind_FixedPin_SetsDigits()
    {
        var options = Bind(["--pin", "0042"]);

        Assert.Equal("0042", options.Pin!.Digits);
        Assert.False(options.Pin.IsAuto);
        Assert.Null(options.AdminUrl);
    }

    [Fact]
    public void Bind_AutoPin_DefaultsAdminUrlToReceiverHostWebPort()
    {
        var options = Bind(["--pin", "auto", "--api-key", "secret"]);

        Assert.True(options.Pin!.IsAuto);
        Assert.Equal(new Uri("http://192.0.2.7:8080/"), options.AdminUrl);
        Assert.Equal("secret", options.ApiKey);
    }

    [Fact]
    public void Bind_AutoPinWithAdminUrl_KeepsItWithTrailingSlash()
    {
        Assert.Equal(new Uri("http://receiver.local:9000/admin/"), Bind(["--pin", "AUTO", "--admin-url", "http://receiver.local:9000/admin"]).AdminUrl);
    }

    [Fact]
    public void Bind_DeviceIdAndIdentity_Kept()
    {
        var options = Bind(["--device-id", "aa:bb:cc:dd:ee:0f", "--identity", "/tmp/sender.key"]);

        Assert.Equal("AA:BB:CC:DD:EE:0F", options.DeviceId);
        Assert.Equal("/tmp/sender.key", options.IdentityFile);
        Assert.Null(options.Pin);
    }

    [Theory]
    [InlineData("--pin", "123", "four digits")]
    [InlineData("--pin", "12345", "four digits")]
    [InlineData("--pin", "12a4", "four digits")]
    [InlineData("--device-id", "AA:BB:CC:DD:EE", "AA:BB:CC:DD:EE:FF")]
    [InlineData("--device-id", "AA-BB-CC-DD-EE-FF", "AA:BB:CC:DD:EE:FF")]
    [InlineData("--admin-url", "http://x:8080", "only used with --pin auto")]
    public void Bind_BadValue_FormatExceptionNamingTheOption(string option, string value, string message)
    {
        var e = Assert.Throws<FormatException>(() => Bind([option, value]));
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bind_PinWithPairingNone_Refused()
    {
        var e = Assert.Throws<FormatException>(() => Bind(["--pin", "1234"], PairingMode.None));
        Assert.Contains("--pairing none", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bind_AutoPinWithFtpAdminUrl_Refused()
    {
        Assert.Throws<FormatException>(() => Bind(["--pin", "auto", "--admin-url", "ftp://x/"]));
    }

    [Fact]
    public void Header_DeviceId_IsHexNumberAsSendersSendIt()
    {
        Assert.Equal("0xaabbccddee0f", SenderDeviceId.Header("AA:BB:CC:DD:EE:0F"));
        Assert.True(SenderDeviceId.IsValid(SenderDeviceId.Random()));
    }

    [Fact]
    public async Task GetPinAsync_PinAppearsAfterTwo404s_ReturnsItAndSendsApiKey()
    {
        var handler = new ScriptedHandler(HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.OK);
        using var http = new HttpClient(handler);
        var client = new AdminPinClient(http, new Uri("http://receiver:8080/"), "secret") { PollInterval = TimeSpan.FromMilliseconds(5) };

        Assert.Equal("0042", await client.GetPinAsync(CancellationToken.None));
        Assert.Equal(3, handler.Requests.Count);
        Assert.All(handler.Requests, r => Assert.Equal("http://receiver:8080/api/access/pin", r.Uri));
        Assert.All(handler.Requests, r => Assert.Equal("secret", r.ApiKey));
    }

    [Fact]
    public async Task GetPinAsync_NoPinPending_FailsAfterTimeout()
    {
        using var http = new HttpClient(new ScriptedHandler(HttpStatusCode.NotFound));
        var client = new AdminPinClient(http, new Uri("http://receiver:8080/"), null) { Timeout = TimeSpan.FromMilliseconds(50), PollInterval = TimeSpan.FromMilliseconds(5) };

        var e = await Assert.ThrowsAsync<SenderProtocolException>(() => client.GetPinAsync(CancellationToken.None));
        Assert.Contains("no PIN pending", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetPinAsync_Unauthorized_SaysToPassApiKey()
    {
        using var http = new HttpClient(new ScriptedHandler(HttpStatusCode.Unauthorized));
        var client = new AdminPinClient(http, new Uri("http://receiver:8080/"), null);

        var e = await Assert.ThrowsAsync<SenderProtocolException>(() => client.GetPinAsync(CancellationToken.None));
        Assert.Contains("--api-key", e.Message, StringComparison.Ordinal);
    }

    private static SenderOptions Bind(string[] args, PairingMode pairing = PairingMode.Auto)
    {
        var command = new Command("mirror");
        var line = PairingCommandLine.AddTo(command);
        var result = command.Parse(args);
        Assert.Empty(result.Errors);
        return line.Bind(result, new SenderOptions
        {
            Host = "192.0.2.7",
            Video = VideoSourceSpec.ParsePattern("320x240@30"),
            FairPlayFile = "fairplay.json",
            Pairing = pairing,
        });
    }

    private sealed class ScriptedHandler(params HttpStatusCode[] statuses) : HttpMessageHandler
    {
        public List<(string Uri, string? ApiKey)> Requests { get; } = [];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var key = request.Headers.TryGetValues(AdminPinClient.ApiKeyHeader, out var values) ? values.Single() : null;
            Requests.Add((request.RequestUri!.ToString(), key));
            var status = statuses[Math.Min(Requests.Count - 1, statuses.Length - 1)];
            var response = new HttpResponseMessage(status);
            if (status == HttpStatusCode.OK)
            {
                response.Content = new StringContent("""{"pin":"0042","deviceName":"Simulated iPhone","expiresAt":"2026-12-05T00:00:00Z"}""", Encoding.UTF8, "application/json");
            }

            return Task.FromResult(response);
        }
    }
}
