using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Receiver.Core.Audio;
using Receiver.Core.Rtp;
using Receiver.Core.Timing;

namespace Receiver.Core.Tests.Audio;

/// <summary>
/// The audio sockets take datagrams from the session's sender only: another address's RTP and control datagrams
/// are dropped and counted, and resend requests go to the sender's control port, never to another source.
/// Loopback addresses stand for machines: 127.0.0.2 is the sender, 127.0.0.3 a stranger.
/// </summary>
public sealed class AudioSenderOnlyTests
{
    private static readonly IPAddress Sender = IPAddress.Parse("127.0.0.2");
    private static readonly IPAddress Stranger = IPAddress.Parse("127.0.0.3");
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task DatagramsFromAnotherAddress_AreDroppedAndCounted_AndResendsGoToTheSenderOnly()
    {
        using var senderData = new UdpClient(new IPEndPoint(Sender, 0));
        using var senderControl = new UdpClient(new IPEndPoint(Sender, 0));
        using var stranger = new UdpClient(new IPEndPoint(Stranger, 0));
        var filter = new SenderDatagramFilter(Sender);
        var parameters = new AudioStreamParameters(8, 480, ((IPEndPoint)senderControl.Client.LocalEndPoint!).Port, RandomNumberGenerator.GetBytes(16), RandomNumberGenerator.GetBytes(16));
        await using var endpoint = AudioStreamEndpoint.Open(Sender, parameters, null, null, new AudioStreamOptions { SenderDatagrams = filter });
        var data = new IPEndPoint(IPAddress.Loopback, endpoint.DataPort);
        var control = new IPEndPoint(IPAddress.Loopback, endpoint.ControlPort);

        // A stranger sends RTP (a forged sequence far ahead) and a sync packet first: nothing of it counts.
        for (ushort sequence = 40000; sequence < 40005; sequence++)
        {
            await stranger.SendAsync(Rtp(sequence), data);
        }

        var sync = new byte[AudioSyncPacket.Length];
        new AudioSyncPacket(1000, NtpTimestamp.FromNanoseconds(1_000_000_000), 1000).WriteTo(sync, true);
        await stranger.SendAsync(sync, control);
        await Eventually(() => filter.Dropped == 6);
        Assert.Equal(0, endpoint.PacketsReceived);
        Assert.Equal(0, endpoint.ControlPacketsReceived);

        // The sender's packets 1 and 3 arrive; 2 is asked for again, at the sender's control port.
        await senderData.SendAsync(Rtp(1), data);
        await senderData.SendAsync(Rtp(3), data);
        await Eventually(() => endpoint.PacketsReceived == 2 && endpoint.ResendRequestsSent >= 1);
        using var wait = new CancellationTokenSource(Patience);
        var request = await senderControl.ReceiveAsync(wait.Token);
        Assert.Equal(0x55, request.Buffer[1] & 0x7F);
        Assert.Equal(6, filter.Dropped);
        Assert.Equal(0, stranger.Available);
        await Task.Delay(100);
        Assert.Equal(0, stranger.Available);
    }

    [Fact]
    public void Filter_ReadsTheAddressOfSocketAddresses_OfBothFamilies()
    {
        var v4 = new SenderDatagramFilter(IPAddress.Parse("192.168.1.20"));
        Assert.True(v4.Accept(new IPEndPoint(IPAddress.Parse("192.168.1.20"), 5000).Serialize()));
        Assert.True(v4.Accept(new IPEndPoint(IPAddress.Parse("::ffff:192.168.1.20"), 5000)));
        Assert.False(v4.Accept(new IPEndPoint(IPAddress.Parse("192.168.1.21"), 5000).Serialize()));
        Assert.False(v4.Accept(new IPEndPoint(IPAddress.Parse("fe80::1"), 5000).Serialize()));
        Assert.False(v4.Accept((EndPoint?)null));
        Assert.Equal(3, v4.Dropped);

        var v6 = new SenderDatagramFilter(IPAddress.Parse("fd00::20"));
        Assert.True(v6.Accept(new IPEndPoint(IPAddress.Parse("fd00::20"), 7000).Serialize()));
        Assert.False(v6.Accept(new IPEndPoint(IPAddress.Parse("fd00::21"), 7000).Serialize()));
        Assert.Equal(1, v6.Dropped);
    }

    private static byte[] Rtp(ushort sequence)
    {
        var packet = new byte[RtpHeader.FixedLength + 32];
        new RtpHeader(96, sequence, (uint)sequence * 480, 0).WriteTo(packet);
        return packet;
    }

    private static async Task Eventually(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met in time");
            await Task.Delay(10);
        }
    }
}
