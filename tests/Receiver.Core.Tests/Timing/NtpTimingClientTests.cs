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

    private static int FreeUdpPort()
    {
        using var probe = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.Client.LocalEndPoint!).Port;
    }
}
