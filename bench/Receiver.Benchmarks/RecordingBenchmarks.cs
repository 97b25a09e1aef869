using BenchmarkDotNet.Attributes;
using Receiver.Core.Media;

namespace Receiver.Benchmarks;

/// <summary>What recording adds per fragment: the sequence number and decode time rewritten, against a plain copy.</summary>
[MemoryDiagnoser]
public class RecordingBenchmarks
{
    private byte[] _fragment = [];
    private byte[] _output = [];
    private uint _sequence;

    [Params(20_000, 200_000)]
    public int PayloadBytes { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var muxer = new Fmp4Muxer { InitialDecodeTime = 900_000 };
        _fragment = muxer.CreateFragment(new VideoAccessUnit(new byte[PayloadBytes], true, 0, 0));
        _output = new byte[_fragment.Length];
    }

    [Benchmark]
    public int RewriteFragment() => Fmp4Recording.RewriteFragment(_fragment, _output, ++_sequence, 450_000);

    /// <summary>What the recorder does: rewrite the header only; the media is written from the original.</summary>
    [Benchmark]
    public int RewriteHeader() => Fmp4Recording.RewriteHeader(_fragment, _output, ++_sequence, 450_000);

    /// <summary>The copy alone, for comparison: rewriting costs what copying the fragment costs, plus a few box reads.</summary>
    [Benchmark(Baseline = true)]
    public int Copy()
    {
        _fragment.CopyTo(_output, 0);
        return _fragment.Length;
    }
}
