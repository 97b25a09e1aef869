using System.Net;
using System.Net.Sockets;
using Receiver.Core.Audio;
using Receiver.Core.Plist;
using Receiver.Core.Rtp;
using Receiver.Web.Tests.Infrastructure;

namespace Receiver.Web.Tests.Audio;

/// <summary>
/// On a real host: the audio data, audio control and timing sockets of a session take datagrams from its sender
/// only; a stranger's (here from 127.0.0.3) are dropped and counted on the session, and the session goes on.
/// </summary>
public sealed class SenderOnlyDatagramTests
{
    [Fact]
    public async Task StrangersDatagramsToTheSessionsPorts_AreDroppedAndCountedOnTheSession()
    {
        await using var host = await ReceiverHost.StartAsync();
        await using var client = await TestSessionClient.StartAsync(host);
        var session = Assert.Single(host.Sessions.Sessions);
        var body = new PlistDict { ["streams"] = new PlistArray(new PlistDict { ["type"] = 96, ["ct"] = 8, ["spf"] = 480, ["controlPort"] = 6001 }) };
        var reply = await client.SendAsync("SETUP", "rtsp://127.0.0.1/1", BinaryPlist.Write(body), "application/x-apple-binary-plist");
        Assert.Equal(200, reply.Status);
        var stream = Assert.IsType<PlistDict>(Assert.IsType<PlistDict>(BinaryPlist.Read(reply.Body)).GetArray("streams").First());
        var dataPort = (int)stream.GetUInt64("dataPort");
        var controlPort = (int)stream.GetUInt64("controlPort");

        using var stranger = new UdpClient(new IPEndPoint(IPAddress.Parse("127.0.0.3"), 0));
        var rtp = new byte[RtpHeader.FixedLength + 16];
        new RtpHeader(96, 40000, 0, 0).WriteTo(rtp);
        for (var i = 0; i < 10; i++)
        {
            await stranger.SendAsync(rtp, new IPEndPoint(IPAddress.Loopback, dataPort));
        }

        var sync = new byte[AudioSyncPacket.Length];
        new AudioSyncPacket(0, 1UL << 32, 0).WriteTo(sync, true);
        await stranger.SendAsync(sync, new IPEndPoint(IPAddress.Loopback, controlPort));

        await Eventually.TrueAsync(() => session.SenderDatagrams.Dropped == 11, TimeSpan.FromSeconds(10));
        Assert.False(session.HasEnded);
        Assert.True(session.AudioActive);
        Assert.Equal(200, (await client.SendAsync("SET_PARAMETER", "rtsp://127.0.0.1/1", "volume: -5.000000\r\n"u8.ToArray(), "text/parameters")).Status);
    }
}
