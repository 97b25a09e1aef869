using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using Receiver.Core.Crypto;

namespace Receiver.Benchmarks;

/// <summary>
/// Audio AES-CBC decryption of one packet payload in place (every packet restarts from the IV), with AES-NI and with
/// the platform's AES-ECB (OpenSSL) and the chaining done in managed code. 256 bytes is an AAC-ELD frame of a phone,
/// 1,408 bytes an ALAC frame (352 stereo samples).
/// </summary>
[Config(typeof(ThroughputConfig))]
public class AudioCbcBenchmarks : IDisposable
{
    private AudioCbcDecryptor _decryptor = null!;
    private byte[] _payload = [];

    [Params(256, 1408)]
    public int Size { get; set; }

    [ParamsSource(nameof(Implementations))]
    public string Implementation { get; set; } = nameof(AesImplementation.AesNi);

    public static IEnumerable<string> Implementations =>
        AesNiRoundKeys.IsSupported
            ? [nameof(AesImplementation.AesNi), nameof(AesImplementation.Platform)]
            : [nameof(AesImplementation.Platform)];

    [GlobalSetup]
    public void Setup()
    {
        _decryptor = new AudioCbcDecryptor(RandomNumberGenerator.GetBytes(16), RandomNumberGenerator.GetBytes(16), Enum.Parse<AesImplementation>(Implementation));
        _payload = RandomNumberGenerator.GetBytes(Size);
    }

    [GlobalCleanup]
    public void Dispose() => _decryptor.Dispose();

    [Benchmark]
    public void Decrypt() => _decryptor.Decrypt(_payload, _payload);
}
