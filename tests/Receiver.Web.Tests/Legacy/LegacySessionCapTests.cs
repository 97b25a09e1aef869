using System.Net;
using System.Text;
using Receiver.Core.Legacy;
using Receiver.Core.Plist;
using Receiver.Core.Sessions;
using Receiver.Web.Tests.Infrastructure;

namespace Receiver.Web.Tests.Legacy;

/// <summary>The legacy <c>POST /stream</c> counts against <c>Receiver:Sessions:Max</c> like a session SETUP.</summary>
public sealed class LegacySessionCapTests
{
    [Fact]
    public async Task PostStreamBeyondTheSessionCap_IsAnswered453AndClosed_AndTheLiveSessionGoesOn()
    {
        await using var host = await ReceiverHost.StartAsync("--Receiver:Sessions:Max=1");
        var live = host.Sessions.Start(new SenderInfo("AA:BB:CC:DD:EE:01", "Anna's iPhone", null, null, null, null, "127.0.0.2"), "airplay", IPAddress.Parse("127.0.0.2"));
        await using var client = await RawRtspClient.ConnectAsync(host.MirrorPort, IPAddress.Parse("127.0.0.3"));
        var body = BinaryPlist.Write(new LegacyStreamRequest(0xA4D1D2800B68UL, 77, "130.16", 90, null, null).ToPlist());

        await client.SendAsync([.. Encoding.ASCII.GetBytes($"POST /stream HTTP/1.1\r\nX-Apple-Device-ID: 0xa4d1d2800b68\r\nContent-Length: {body.Length}\r\n\r\n"), .. body]);
        var response = await client.ReadResponseAsync();

        Assert.Equal(453, response.Status);
        Assert.Contains("busy", Encoding.UTF8.GetString(response.Body), StringComparison.Ordinal);
        Assert.True(await client.WaitForCloseAsync(TimeSpan.FromSeconds(5)));
        Assert.Same(live, Assert.Single(host.Sessions.Sessions));
        Assert.False(live.HasEnded);
        Assert.Equal(1, host.Sessions.SessionsRefused);
    }
}
