using System.Buffers;
using BenchmarkDotNet.Attributes;
using Receiver.Core.Media;

namespace Receiver.Benchmarks;

/// <summary>Cost of turning one access unit into a fragment, and of fanning it out to viewers.</summary>
[MemoryDiagnoser]
public class Fmp4Benchmarks
{
    private static readonly byte[] Sps = Convert.FromHexString("6742c01fda014016ec0440000003004000000f03c60ca8");
    private static readonly byte[] Pps = Convert.FromHexString("68ce0fc8");

    private readonly ArrayBufferWriter<byte> _output = new(1 << 20);
    private Fmp4Muxer _muxer = new();
    private MediaChannel _channel = new();
    private List<MediaViewer> _viewers = [];
    private byte[] _payload = [];
    private long _pts;

    [Params(20_000, 200_000)]
    public int PayloadBytes { get; set; }

    [Params(1, 8)]
    public int Viewers { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _payload = new byte[PayloadBytes];
        _muxer = new Fmp4Muxer();
        _channel = new MediaChannel(new MediaChannelOptions { MaxQueuedMessages = int.MaxValue, MaxQueuedBytes = long.MaxValue, FragmentPool = new FragmentPool() });
        _channel.Publish(VideoFormat.FromH264([Sps], [Pps]));
        _viewers = [.. Enumerable.Range(0, Viewers).Select(_ => _channel.Subscribe())];
    }

    [GlobalCleanup]
    public void Cleanup() => _viewers.ForEach(v => v.Dispose());

    [Benchmark]
    public int WriteFragment()
    {
        _output.ResetWrittenCount();
        return _muxer.WriteFragment(new VideoAccessUnit(_payload, false, _pts += 1500, 0), _output);
    }

    [Benchmark]
    public int PublishAndRead()
    {
        _channel.Publish(new VideoAccessUnit(_payload, true, _pts += 1500, 0));
        var read = 0;
        foreach (var viewer in _viewers)
        {
            while (viewer.Reader.TryRead(out var message))
            {
                message.Release();
                read++;
            }
        }

        return read;
    }
}
