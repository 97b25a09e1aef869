using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using Receiver.Core.Crypto;

namespace Receiver.Benchmarks;

/// <summary>AES-128-CTR over one continuous keystream, in place, for typical mirror payload sizes.</summary>
[Config(typeof(ThroughputConfig))]
public class AesCtrBenchmarks : IDisposable
{
    private AesCtr _ctr = null!;
    private byte[] _buffer = [];

    [Params(1024, 16 * 1024, 256 * 1024)]
    public int Size { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _ctr = new AesCtr(RandomNumberGenerator.GetBytes(16), RandomNumberGenerator.GetBytes(16));
        _buffer = RandomNumberGenerator.GetBytes(Size);
    }

    [GlobalCleanup]
    public void Dispose() => _ctr.Dispose();

    [Benchmark]
    public void Transform() => _ctr.Transform(_buffer, _buffer);
}
