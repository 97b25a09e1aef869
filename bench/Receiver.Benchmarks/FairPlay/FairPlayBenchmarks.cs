using BenchmarkDotNet.Attributes;
using Receiver.Core.FairPlay;

namespace Receiver.Benchmarks.FairPlay;

/// <summary>Cost of recovering the AES key from an ekey once fp-setup has completed.</summary>
[MemoryDiagnoser]
public class FairPlayBenchmarks
{
    private readonly byte[] aesKey = new byte[PlayFair.AesKeyLength];
    private FairPlaySetup setup = null!;
    private byte[] message3 = null!;
    private byte[] ekey = null!;

    [Params(0, 3)]
    public int Mode { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(20240601);
        message3 = new byte[PlayFair.Message3Length];
        random.NextBytes(message3);
        "FPLY"u8.CopyTo(message3);
        message3[4] = 3;
        message3[PlayFair.ModeOffset] = (byte)Mode;

        ekey = new byte[PlayFair.EkeyLength];
        random.NextBytes(ekey);
        "FPLY"u8.CopyTo(ekey);

        byte[] message1 = [0x46, 0x50, 0x4C, 0x59, 0x03, 0x01, 0x01, 0x00, 0x00, 0x00, 0x00, 0x04, 0x02, 0x00, (byte)Mode, 0xBB];
        setup = new FairPlaySetup();
        setup.ProcessMessage(message1);
        setup.ProcessMessage(message3);
    }

    [Benchmark]
    public byte[] DecryptKey() => setup.DecryptKey(ekey);

    [Benchmark]
    public byte DecryptIntoBuffer()
    {
        PlayFair.Decrypt(message3, ekey, aesKey);
        return aesKey[0];
    }
}
