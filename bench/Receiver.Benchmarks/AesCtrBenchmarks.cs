using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using Receiver.Core.Crypto;

namespace Receiver.Benchmarks;

/// <summary>
/// AES-128-CTR over one continuous keystream, in place, for typical mirror payload sizes, with the keystream from
/// AES-NI and from the platform's AES-ECB (OpenSSL), as <c>openssl speed -evp aes-128-ctr</c> measures it.
/// <c>AES_BENCH_SIZES</c> (comma-separated bytes) narrows the sizes; bench/aes-vs-openssl.sh runs one size at a time.
/// </summary>
[Config(typeof(ThroughputConfig))]
public class AesCtrBenchmarks : IDisposable
{
    private AesCtr _ctr = null!;
    private byte[] _buffer = [];

    [ParamsSource(nameof(Sizes))]
    public int Size { get; set; }

    [ParamsSource(nameof(Sources))]
    public string Keystream { get; set; } = nameof(AesImplementation.AesNi);

    public static IEnumerable<int> Sizes =>
        Environment.GetEnvironmentVariable("AES_BENCH_SIZES") is { Length: > 0 } sizes
            ? sizes.Split(',').Select(int.Parse)
            : [1024, 16 * 1024, 256 * 1024];

    public static IEnumerable<string> Sources =>
        AesNiKeystream.IsSupported
            ? [nameof(AesImplementation.AesNi), nameof(AesImplementation.Platform)]
            : [nameof(AesImplementation.Platform)];

    [GlobalSetup]
    public void Setup()
    {
        _ctr = new AesCtr(RandomNumberGenerator.GetBytes(16), RandomNumberGenerator.GetBytes(16), Enum.Parse<AesImplementation>(Keystream));
        _buffer = RandomNumberGenerator.GetBytes(Size);
    }

    [GlobalCleanup]
    public void Dispose() => _ctr.Dispose();

    [Benchmark]
    public void Transform() => _ctr.Transform(_buffer, _buffer);
}
