using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using Receiver.Core.Legacy;
using Receiver.Core.Timing;

namespace Receiver.Core.Tests.Timing;

public class NtpTimingClientTests
{
    [Fact]
    public async Task DisposeAsync_AtAnyPointOfTheLoop_NeverThrows()
    {
        // A sender that answers (so the loop is sometimes inside a receive, sometimes inside its pause) and one that
        // refuses (ICMP port unreachable: the loop is inside its error path).
        using var answering = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        using var answer = new CancellationTokenSource();
        var responder = Task.Run(async () =>
        {
            var reply = new byte[NtpV4Packet.Length];
            while (!answer.IsCancellationRequested)
            {
                try
                {
                    var request = await answering.ReceiveAsync(answer.Token);
                    if (NtpV4Packet.TryReadRequestTransmit(request.Buffer, out var transmit))
                    {
                        NtpV4Packet.WriteReply(reply, transmit, transmit, transmit);
                        await answering.SendAsync(reply, request.RemoteEndPoint, answer.Token);
                    }
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        });
        var refusing = new IPEndPoint(IPAddress.Loopback, FreeUdpPort());
        var answeringEndPoint = (IPEndPoint)answering.Client.LocalEndPoint!;

        for (var i = 0; i < 200; i++)
        {
            var target = i % 2 == 0 ? answeringEndPoint : refusing;
            var client = new NtpTimingClient(target, new SenderClock(TimeProvider.System), TimeProvider.System, NullLogger.Instance,
                TimeSpan.FromMilliseconds(1 + i % 5), TimingPacketFormat.NtpV4);
            client.Start();
            if (i % 3 != 0)
            {
                await Task.Delay(i % 7);
            }

            await client.DisposeAsync();
        }

        await answer.CancelAsync();
        await responder;
    }

    [Fact]
    public async Task RepliesFromAnotherAddress_AreDroppedAndCounted_AndTheSendersAreTaken()
    {
        // 127.0.0.2 is the sender and answers; 127.0.0.3 is a stranger that sends reply-shaped datagrams.
        using var sender = new UdpClient(new IPEndPoint(IPAddress.Parse("127.0.0.2"), 0));
        using var stranger = new UdpClient(new IPEndPoint(IPAddress.Parse("127.0.0.3"), 0));
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var responder = Task.Run(async () =>
        {
            var reply = new byte[NtpV4Packet.Length];
            try
            {
                while (true)
                {
                    var request = await sender.ReceiveAsync(stop.Token);
                    if (NtpV4Packet.TryReadRequestTransmit(request.Buffer, out var transmit))
                    {
                        NtpV4Packet.WriteReply(reply, transmit, transmit, transmit);
                        await stranger.SendAsync(reply, request.RemoteEndPoint, stop.Token);
                        await sender.SendAsync(reply, request.RemoteEndPoint, stop.Token);
                    }
                }
            }
            catch (OperationCanceledException)
            {
            }
        });
        var filter = new SenderDatagramFilter(IPAddress.Parse("127.0.0.2"));
        var client = new NtpTimingClient((IPEndPoint)sender.Client.LocalEndPoint!, new SenderClock(TimeProvider.System), TimeProvider.System, NullLogger.Instance,
            TimeSpan.FromMilliseconds(50), TimingPacketFormat.NtpV4) { SenderDatagrams = filter };
        client.Start();
        try
        {
            while (client.RepliesReceived < 3 || filter.Dropped < 3)
            {
                await Task.Delay(20, stop.Token);
            }
        }
        finally
        {
            await client.DisposeAsync();
            await stop.CancelAsync();
            await responder;
        }

        // Every stranger's copy (sent before the sender's) was dropped; each exchange took the sender's reply.
        Assert.InRange(filter.Dropped, client.RepliesReceived - 1, client.RepliesReceived + 1);
    }

    private static int FreeUdpPort()
    {
        using var probe = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.Client.LocalEndPoint!).Port;
    }
}
