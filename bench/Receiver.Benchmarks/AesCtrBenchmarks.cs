using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using Receiver.Core.Crypto;

namespace Receiver.Benchmarks;

/// <summary>
/// AES-128-CTR over one continuous keystream, in place, for typical mirror payload sizes, with the keystream from
/// AES-NI and from the platform's AES-ECB (OpenSSL), as <c>openssl speed -evp aes-128-ctr</c> measures it.
/// </summary>
[Config(typeof(ThroughputConfig))]
public class AesCtrBenchmarks : IDisposable
{
    private AesCtr _ctr = null!;
    private byte[] _buffer = [];

    [Params(1024, 16 * 1024, 256 * 1024)]
    public int Size { get; set; }

    [ParamsSource(nameof(Sources))]
    public string Keystream { get; set; } = nameof(AesCtrKeystreamSource.AesNi);

    public static IEnumerable<string> Sources =>
        AesNiKeystream.IsSupported
            ? [nameof(AesCtrKeystreamSource.AesNi), nameof(AesCtrKeystreamSource.PlatformEcb)]
            : [nameof(AesCtrKeystreamSource.PlatformEcb)];

    [GlobalSetup]
    public void Setup()
    {
        _ctr = new AesCtr(RandomNumberGenerator.GetBytes(16), RandomNumberGenerator.GetBytes(16), Enum.Parse<AesCtrKeystreamSource>(Keystream));
        _buffer = RandomNumberGenerator.GetBytes(Size);
    }

    [GlobalCleanup]
    public void Dispose() => _ctr.Dispose();

    [Benchmark]
    public void Transform() => _ctr.Transform(_buffer, _buffer);
}
