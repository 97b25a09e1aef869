using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using Receiver.Core.Crypto;

namespace Receiver.Benchmarks;

/// <summary>
/// What pair-verify spends on AES-CTR per connection: a new cipher from the derived key and IV, then one 64-byte
/// signature transformed, with the AES-NI keystream and with the OpenSSL-ECB fallback (whose first call computes a
/// whole 32 KiB batch).
/// </summary>
[MemoryDiagnoser]
public class PairVerifyCipherBenchmarks
{
    private readonly byte[] _key = RandomNumberGenerator.GetBytes(16);
    private readonly byte[] _iv = RandomNumberGenerator.GetBytes(16);
    private readonly byte[] _signature = RandomNumberGenerator.GetBytes(64);

    [ParamsSource(nameof(Implementations))]
    public string Implementation { get; set; } = nameof(AesImplementation.AesNi);

    public static IEnumerable<string> Implementations =>
        AesNiKeystream.IsSupported
            ? [nameof(AesImplementation.AesNi), nameof(AesImplementation.Platform)]
            : [nameof(AesImplementation.Platform)];

    private AesImplementation _implementation;

    [GlobalSetup]
    public void Setup() => _implementation = Enum.Parse<AesImplementation>(Implementation);

    [Benchmark]
    public void CreateAndTransformSignature()
    {
        using var ctr = new AesCtr(_key, _iv, _implementation);
        ctr.Transform(_signature);
    }
}
