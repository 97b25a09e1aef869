using System.Buffers;
using System.Buffers.Binary;
using System.Net;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Logging.Abstractions;
using Receiver.Core.Media;
using Receiver.Core.Mirroring;
using Receiver.Core.Sessions;

namespace Receiver.Benchmarks;

/// <summary>
/// One video packet taken in by a session, as the mirror connection hands it over: <see cref="MirrorStreamReceiver.Process"/>
/// (liveness, copy into a pooled fragment, NAL checks, the sender clock, the fMP4 header, the GOP cache) with no
/// viewer or with viewers that read and release each fragment at once. The stream is unencrypted so that it can run
/// forever (decryption is <see cref="MirrorPacketBenchmarks"/> and <see cref="AesCtrBenchmarks"/>; it allocates
/// nothing). An IDR every 60 packets, so the GOP cache fills and empties as in a stream.
/// </summary>
[MemoryDiagnoser]
public class MirrorIngestBenchmarks : IDisposable
{
    private static readonly byte[] Sps = Convert.FromHexString("6742c01fda014016ec0440000003004000000f03c60ca8");
    private static readonly byte[] Pps = Convert.FromHexString("68ce0fc8");

    private SessionRegistry _registry = null!;
    private MirroringSession _session = null!;
    private MirrorStreamReceiver _receiver = null!;
    private List<MediaViewer> _viewers = [];
    private ReadOnlySequence<byte> _keyframe;
    private ReadOnlySequence<byte> _picture;
    private long _index;

    [Params(1024, 16 * 1024)]
    public int Size { get; set; }

    [Params(0, 1, 8)]
    public int Viewers { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _registry = new SessionRegistry(new SessionEventHub(), TimeProvider.System, new MediaChannelOptions { FragmentPool = new FragmentPool() });
        _session = _registry.Start(new SenderInfo("aa:bb:cc:dd:ee:03", "Bench", "iPhone", "iOS", "18.0", "860.7.1", "192.0.2.9"), "AirPlay", IPAddress.Parse("192.0.2.9"));
        var settings = new ReceiverSettings { Name = "Bench", DeviceId = "aa:bb:cc:dd:ee:ff", PublicKey = new byte[32] };
        _receiver = new MirrorStreamReceiver(new PendingMirrorStream(_session, 1, new byte[16], new byte[16], Encrypted: false), settings, _registry, NullLogger<MirrorStreamReceiver>.Instance);
        var codec = AvcConfiguration.Create([Sps], [Pps]).ToArray();
        _receiver.Process(new MirrorPacketHeader { PayloadType = MirrorPayloadType.CodecData, PayloadSize = (uint)codec.Length }, new ReadOnlySequence<byte>(codec));
        _viewers = [.. Enumerable.Range(0, Viewers).Select(_ => _session.Media.Subscribe())];
        _keyframe = new ReadOnlySequence<byte>(Picture(0x65));
        _picture = new ReadOnlySequence<byte>(Picture(0x41));
    }

    [GlobalCleanup]
    public void Dispose()
    {
        _viewers.ForEach(v => v.Dispose());
        _receiver.Dispose();
        _registry.End(_session, SessionEndReason.Teardown);
    }

    [Benchmark]
    public long ProcessPacket()
    {
        var index = _index++;
        var header = new MirrorPacketHeader
        {
            PayloadType = MirrorPayloadType.Video,
            PayloadSize = (uint)Size,
            Timestamp = MirrorPacketHeader.NanosecondsToNtp((ulong)(1_000_000_000L + (index * 16_666_667L))),
        };
        _receiver.Process(header, index % 60 == 0 ? _keyframe : _picture);
        foreach (var viewer in _viewers)
        {
            while (viewer.Reader.TryRead(out var message))
            {
                message.Release();
            }
        }

        return _receiver.FramesReceived;
    }

    private byte[] Picture(byte nalHeader)
    {
        var payload = new byte[Size];
        BinaryPrimitives.WriteInt32BigEndian(payload, Size - 4);
        payload[4] = nalHeader;
        return payload;
    }
}
