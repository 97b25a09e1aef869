using System.Net;
using System.Net.Sockets;
using Receiver.Core.Audio;
using Xunit.Abstractions;
using Receiver.Core.Rtp;

namespace Receiver.Core.Tests.Audio;

/// <summary>
/// Bytes allocated, process-wide, for each encrypted RTP audio packet from the socket through the jitter buffer
/// and the decryptor (no transcoder, so nothing downstream allocates): payloads travel in pooled buffers.
/// </summary>
[Collection(RealTimeCollection.Name)]
[Lane(TestLanes.RealTime)]
public sealed class AudioPacketAllocationTests(ITestOutputHelper output)
{
    private const int Packets = 4000;
    private const int PayloadLength = 1024;

    [Fact]
    public void ReceivePath_SteadyStream_AllocatesLittlePerPacket()
    {
        var key = new byte[16];
        var iv = new byte[16];
        using var sender = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        sender.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        using var endpoint = AudioStreamEndpoint.Open(IPAddress.Loopback, new AudioStreamParameters(8, 480, 0, key, iv));
        var target = new IPEndPoint(IPAddress.Loopback, endpoint.DataPort).Serialize();
        var packet = new byte[RtpHeader.FixedLength + PayloadLength];
        ushort sequence = 0;

        void Send(int count)
        {
            var expected = endpoint.PacketsReceived + count;
            for (var i = 0; i < count; i++)
            {
                new RtpHeader(96, sequence, sequence * 480u, 1).WriteTo(packet);
                packet[RtpHeader.FixedLength] = (byte)sequence;
                sequence++;
                sender.SendTo(packet, SocketFlags.None, target);
                if (i % 64 == 63)
                {
                    WaitFor(endpoint, expected - count + i + 1);
                }
            }

            WaitFor(endpoint, expected);
        }

        Send(500);
        var before = GC.GetTotalAllocatedBytes(precise: true);
        Send(Packets);
        var perPacket = (GC.GetTotalAllocatedBytes(precise: true) - before) / (double)Packets;
        output.WriteLine($"allocated per audio packet (process-wide, sender included): {perPacket:F0} bytes");
        Assert.Equal(Packets + 500, endpoint.PacketsReceived);
        // A copy per packet would cost more than the payload itself.
        Assert.InRange(perPacket, 0, PayloadLength / 2);
    }

    private static void WaitFor(AudioStreamEndpoint endpoint, long packets)
    {
        var deadline = Environment.TickCount64 + 10_000;
        while (endpoint.PacketsReceived < packets)
        {
            Assert.True(Environment.TickCount64 < deadline, "the endpoint did not receive the packets in time");
            Thread.Sleep(1);
        }
    }
}
