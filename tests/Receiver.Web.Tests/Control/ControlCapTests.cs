using System.Net;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Receiver.Core.Plist;
using Receiver.Core.Sessions;
using Receiver.Web.Connections;
using Receiver.Web.Tests.Infrastructure;

namespace Receiver.Web.Tests.Control;

/// <summary>
/// The caps of the control port on a real host: connections per address and in total, sessions in total, one audio
/// stream per SETUP. Another loopback address (127.0.0.2, 127.0.0.3) stands for another machine.
/// </summary>
public sealed class ControlCapTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);
    private static readonly IPAddress Anna = IPAddress.Parse("127.0.0.2");
    private static readonly IPAddress Ben = IPAddress.Parse("127.0.0.3");

    [Fact]
    public async Task ConnectionBeyondThePerAddressCap_IsClosedAtOnce_AndOtherAddressesAndHeldConnectionsGoOn()
    {
        await using var host = await ReceiverHost.StartAsync("--Receiver:Limits:MaxControlConnectionsPerAddress=2", "--Receiver:Limits:MaxControlConnections=10");
        var limiter = host.App.Services.GetRequiredService<ConnectionLimiter>();
        await using var first = await RawRtspClient.ConnectAsync(host.ControlPort, Anna);
        await using var second = await RawRtspClient.ConnectAsync(host.ControlPort, Anna);
        await Eventually.TrueAsync(() => limiter.Open == 2, Patience);

        Assert.True(await RawRtspClient.IsClosedAtOnceAsync(host.ControlPort, Anna, Patience), "the third connection from one address is closed");
        Assert.Equal(1, limiter.Refused);
        Assert.Equal(200, (await first.SendRequestAsync("OPTIONS", "*", 1)).Status);
        Assert.Equal(200, (await second.SendRequestAsync("OPTIONS", "*", 1)).Status);
        await using var other = await RawRtspClient.ConnectAsync(host.ControlPort, Ben);
        Assert.Equal(200, (await other.SendRequestAsync("GET", "/info", 1)).Status);

        // A place freed is a place again.
        await first.DisposeAsync();
        await Eventually.TrueAsync(() => limiter.Open == 2, Patience);
        await using var again = await RawRtspClient.ConnectAsync(host.ControlPort, Anna);
        Assert.Equal(200, (await again.SendRequestAsync("OPTIONS", "*", 2)).Status);
        Assert.Equal(1, limiter.Refused);
    }

    [Fact]
    public async Task ConnectionBeyondTheTotalCap_IsClosedAtOnce_AndHeldConnectionsGoOn()
    {
        await using var host = await ReceiverHost.StartAsync("--Receiver:Limits:MaxControlConnectionsPerAddress=2", "--Receiver:Limits:MaxControlConnections=3");
        var limiter = host.App.Services.GetRequiredService<ConnectionLimiter>();
        await using var a1 = await RawRtspClient.ConnectAsync(host.ControlPort, Anna);
        await using var a2 = await RawRtspClient.ConnectAsync(host.ControlPort, Anna);
        await using var b1 = await RawRtspClient.ConnectAsync(host.ControlPort, Ben);
        await Eventually.TrueAsync(() => limiter.Open == 3, Patience);

        Assert.True(await RawRtspClient.IsClosedAtOnceAsync(host.ControlPort, Ben, Patience), "the fourth connection is closed");
        Assert.Equal(1, limiter.Refused);
        foreach (var held in new[] { a1, a2, b1 })
        {
            Assert.Equal(200, (await held.SendRequestAsync("OPTIONS", "*", 1)).Status);
        }
    }

    [Fact]
    public async Task TotalCapFullOfHalfSentRequests_ANewAddressIsAnswered_TheBusiestAddressesOldestConnectionGivesWay()
    {
        await using var host = await ReceiverHost.StartAsync("--Receiver:Limits:MaxControlConnectionsPerAddress=3", "--Receiver:Limits:MaxControlConnections=6");
        var limiter = host.App.Services.GetRequiredService<ConnectionLimiter>();
        var flood = new List<RawRtspClient>();
        try
        {
            foreach (var address in new[] { Anna, Ben })
            {
                for (var i = 0; i < 3; i++)
                {
                    var client = await RawRtspClient.ConnectAsync(host.ControlPort, address);
                    flood.Add(client);
                    await client.SendAsync("GET /info RTSP/1.0\r\nCSeq: 1\r\n");
                    await Eventually.TrueAsync(() => limiter.Open == flood.Count, Patience);
                }
            }

            await using var carl = await RawRtspClient.ConnectAsync(host.ControlPort, IPAddress.Parse("127.0.0.4"));
            Assert.Equal(200, (await carl.SendRequestAsync("GET", "/info", 1)).Status);

            Assert.True(await flood[0].WaitForCloseAsync(Patience), "Anna's oldest half-sent request is closed");
            Assert.Equal(1, limiter.Evicted);
            Assert.Equal(0, limiter.Refused);
            Assert.Equal(6, limiter.Open);

            // Anna, Ben and Carl now hold 2, 3 and 1: a newcomer from Anna would hold 3, and nobody holds two more.
            Assert.True(await RawRtspClient.IsClosedAtOnceAsync(host.ControlPort, Anna, Patience), "a newcomer from Anna is refused: the port is full and evenly held");
            Assert.Equal(1, limiter.Refused);
            Assert.Equal(1, limiter.Evicted);
        }
        finally
        {
            foreach (var client in flood)
            {
                await client.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task ThousandConnectionsFromOneAddress_HoldOnlyTheCap_AndAnotherSenderIsAnswered()
    {
        await using var host = await ReceiverHost.StartAsync("--Receiver:Limits:MaxControlConnectionsPerAddress=8", "--Receiver:Limits:MaxControlConnections=64");
        var limiter = host.App.Services.GetRequiredService<ConnectionLimiter>();
        var flood = new List<RawRtspClient>();
        var resetAtConnect = 0;
        try
        {
            for (var i = 0; i < 1000; i++)
            {
                RawRtspClient? client = null;
                try
                {
                    client = await RawRtspClient.ConnectAsync(host.ControlPort, Anna);
                    // Half a request each: what a slow or hostile client holds.
                    await client.SendAsync("GET /info RTSP/1.0\r\nCSeq: 1\r\n");
                    flood.Add(client);
                }
                catch (Exception ex) when (ex is System.Net.Sockets.SocketException or IOException)
                {
                    if (client is not null)
                    {
                        await client.DisposeAsync();
                    }

                    // A refused connection is reset; the reset may reach the client while it is still connecting or sending.
                    resetAtConnect++;
                }
            }

            // Every connection beyond the first eight is closed by the receiver, none of the eight is.
            var closed = await Task.WhenAll(flood.Select(c => c.WaitForCloseAsync(TimeSpan.FromSeconds(3))));
            Assert.Equal(1000 - 8, closed.Count(c => c) + resetAtConnect);
            Assert.Equal(8, limiter.Open);
            Assert.InRange(limiter.Refused, 1, 1000 - 8);
            await using var other = await RawRtspClient.ConnectAsync(host.ControlPort, Ben);
            Assert.Equal(200, (await other.SendRequestAsync("GET", "/info", 1)).Status);
        }
        finally
        {
            foreach (var client in flood)
            {
                await client.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task SessionSetupBeyondTheSessionCap_IsRefusedAsBusy_OpensNothing_AndTheLiveSessionGoesOn()
    {
        await using var host = await ReceiverHost.StartAsync("--Receiver:Sessions:Max=1");
        await using var first = await TestSessionClient.StartAsync(host, "Anna's iPhone");
        Assert.Equal(1, host.Sessions.Count);

        await using var second = await RawRtspClient.ConnectAsync(host.ControlPort, Ben);
        var fairPlay = FairPlayVectors.Get("gen-00");
        Assert.Equal(200, (await second.SendRequestAsync("POST", "/fp-setup", 1, fairPlay.Message1, "application/octet-stream")).Status);
        Assert.Equal(200, (await second.SendRequestAsync("POST", "/fp-setup", 2, fairPlay.Message3, "application/octet-stream")).Status);
        var setup = new PlistDict { ["ekey"] = fairPlay.Ekey, ["eiv"] = new byte[16], ["name"] = "Ben's iPad", ["timingPort"] = 7010 };
        var refused = await second.SendRequestAsync("SETUP", "rtsp://127.0.0.1/2", 3, BinaryPlist.Write(setup), "application/x-apple-binary-plist");

        Assert.Equal(453, refused.Status);
        Assert.Contains("Not Enough Bandwidth", refused.StatusLine, StringComparison.Ordinal);
        Assert.Contains("busy", Encoding.UTF8.GetString(refused.Body), StringComparison.Ordinal);
        Assert.Equal(1, host.Sessions.Count);
        Assert.Equal(1, host.Sessions.SessionsRefused);
        Assert.Equal("Anna's iPhone", Assert.Single(host.Sessions.Sessions).Sender.Name);
        // The first sender goes on: its stream SETUP and volume are answered.
        await first.SetupVideoAsync();
        Assert.Equal(200, (await first.SendAsync("SET_PARAMETER", "rtsp://127.0.0.1/1", "volume: -10.000000\r\n"u8.ToArray(), "text/parameters")).Status);

        // Once the first session ends, the next SETUP is taken.
        Assert.Equal(200, (await first.SendAsync("TEARDOWN", "rtsp://127.0.0.1/1")).Status);
        await Eventually.TrueAsync(() => host.Sessions.Count == 0, Patience);
        Assert.Equal(200, (await second.SendRequestAsync("SETUP", "rtsp://127.0.0.1/2", 4, BinaryPlist.Write(setup), "application/x-apple-binary-plist")).Status);
        Assert.Equal("Ben's iPad", Assert.Single(host.Sessions.Sessions).Sender.Name);
    }

    [Fact]
    public async Task SetupListingSeveralAudioStreams_IsRefusedWhole_AndOpensNoAudio()
    {
        await using var host = await ReceiverHost.StartAsync();
        await using var client = await TestSessionClient.StartAsync(host);
        var session = Assert.Single(host.Sessions.Sessions);
        PlistDict Audio(int controlPort) => new() { ["type"] = 96, ["ct"] = 8, ["spf"] = 480, ["controlPort"] = controlPort, ["audioFormat"] = 0x1000000 };
        var body = new PlistDict { ["streams"] = new PlistArray(Audio(6001), Audio(6002), Audio(6003)) };

        var refused = await client.SendAsync("SETUP", "rtsp://127.0.0.1/1", BinaryPlist.Write(body), "application/x-apple-binary-plist");

        Assert.Equal(400, refused.Status);
        Assert.False(session.AudioActive);
        // One audio stream is set up as ever.
        var one = await client.SendAsync("SETUP", "rtsp://127.0.0.1/1", BinaryPlist.Write(new PlistDict { ["streams"] = new PlistArray(Audio(6001)) }), "application/x-apple-binary-plist");
        Assert.Equal(200, one.Status);
        Assert.True(session.AudioActive);
    }
}
