using System.Buffers;
using System.Buffers.Binary;
using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Receiver.Core.Crypto;
using Receiver.Core.Media;
using Receiver.Core.Mirroring;
using Receiver.Core.Sessions;
using Receiver.Core.Tests.Media;

namespace Receiver.Core.Tests.Mirroring;

/// <summary>
/// The steady path of a mirror packet allocates nothing: an encrypted video packet goes through
/// <see cref="MirrorStreamReceiver.Process"/> (liveness, decryption into a pooled fragment, NAL checks, the sender
/// clock, muxing, the GOP cache and, with a viewer, its queue and the viewer's read and release) for 1,000 packets
/// after a warm-up, counted with <see cref="GC.GetAllocatedBytesForCurrentThread"/>.
/// </summary>
public sealed class MirrorPacketAllocationTests
{
    private const int Gop = 60;
    private const int WarmUp = 5 * Gop;
    private const int Measured = 1000;

    [Theory]
    [InlineData(1024, false)]
    [InlineData(16 * 1024, false)]
    [InlineData(1024, true)]
    [InlineData(16 * 1024, true)]
    public void Process_SteadyStream_AllocatesNothingPerPacket(int payloadSize, bool withViewer)
    {
        var registry = new SessionRegistry(new SessionEventHub(), TimeProvider.System, new MediaChannelOptions { FragmentPool = new FragmentPool() });
        var session = registry.Start(new SenderInfo("aa:bb:cc:dd:ee:02", "Phone", "iPhone", "iOS", "18.0", "860.7.1", "192.0.2.8"), "AirPlay", IPAddress.Parse("192.0.2.8"));
        var key = Enumerable.Range(1, 16).Select(i => (byte)i).ToArray();
        var iv = Enumerable.Range(50, 16).Select(i => (byte)i).ToArray();
        var settings = new ReceiverSettings { Name = "Test", DeviceId = "aa:bb:cc:dd:ee:ff", PublicKey = new byte[32] };
        using var receiver = new MirrorStreamReceiver(new PendingMirrorStream(session, 1, key, iv), settings, registry, NullLogger<MirrorStreamReceiver>.Instance);
        using var viewer = withViewer ? session.Media.Subscribe() : null;
        var packets = EncryptedPackets(payloadSize, WarmUp + Measured, key, iv);
        var codec = AvcConfiguration.Create([MediaVectors.Sps1280X720], [MediaVectors.Pps]).ToArray();
        receiver.Process(new MirrorPacketHeader { PayloadType = MirrorPayloadType.CodecData, PayloadSize = (uint)codec.Length }, new ReadOnlySequence<byte>(codec));

        for (var i = 0; i < WarmUp; i++)
        {
            Feed(receiver, packets[i], viewer);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = WarmUp; i < WarmUp + Measured; i++)
        {
            Feed(receiver, packets[i], viewer);
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(WarmUp + Measured, receiver.FramesReceived);
        Assert.Equal(WarmUp + Measured, session.Media.FramesPublished);
        Assert.Equal(withViewer ? WarmUp + Measured : 0, viewer?.DeliveredFragments ?? 0);
        Assert.True(allocated == 0, $"{allocated} bytes over {Measured} packets ({(double)allocated / Measured:F1} per packet)");
        registry.End(session, SessionEndReason.Teardown);
    }

    private static void Feed(MirrorStreamReceiver receiver, (MirrorPacketHeader Header, ReadOnlySequence<byte> Payload) packet, MediaViewer? viewer)
    {
        receiver.Process(packet.Header, packet.Payload);
        if (viewer is not null)
        {
            while (viewer.Reader.TryRead(out var message))
            {
                message.Release();
            }
        }
    }

    /// <summary>Video packets of one continuous keystream: one NAL unit each, an IDR every <see cref="Gop"/>.</summary>
    private static (MirrorPacketHeader, ReadOnlySequence<byte>)[] EncryptedPackets(int payloadSize, int count, byte[] key, byte[] iv)
    {
        using var cipher = new AesCtr(key, iv);
        var packets = new (MirrorPacketHeader, ReadOnlySequence<byte>)[count];
        for (var i = 0; i < count; i++)
        {
            var payload = new byte[payloadSize];
            BinaryPrimitives.WriteInt32BigEndian(payload, payloadSize - 4);
            payload[4] = (byte)(i % Gop == 0 ? 0x65 : 0x41);
            for (var j = 5; j < payload.Length; j++)
            {
                payload[j] = (byte)(i + j);
            }

            cipher.Transform(payload, payload);
            var header = new MirrorPacketHeader
            {
                PayloadType = MirrorPayloadType.Video,
                PayloadSize = (uint)payloadSize,
                Timestamp = MirrorPacketHeader.NanosecondsToNtp((ulong)(1_000_000_000L + (i * 16_666_667L))),
            };
            packets[i] = (header, new ReadOnlySequence<byte>(payload));
        }

        return packets;
    }
}
