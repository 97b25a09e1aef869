using BenchmarkDotNet.Attributes;
using Receiver.Core.Plist;

namespace Receiver.Benchmarks;

/// <summary>Reading and writing a GET /info-sized dictionary in binary and XML form.</summary>
[MemoryDiagnoser]
public class PlistBenchmarks
{
    private PlistDict info = null!;
    private byte[] binary = null!;
    private byte[] xml = null!;

    [GlobalSetup]
    public void Setup()
    {
        info = new PlistDict
        {
            ["deviceID"] = "AA:BB:CC:DD:EE:FF",
            ["features"] = 0x5A7FFEE6UL,
            ["keepAliveLowPower"] = 1,
            ["keepAliveSendStatsAsBody"] = true,
            ["macAddress"] = "AA:BB:CC:DD:EE:FF",
            ["model"] = "AppleTV3,2",
            ["name"] = "Receiver",
            ["pi"] = "2e388006-13ba-4041-9a67-25dd4a43d536",
            ["pk"] = new byte[32],
            ["sourceVersion"] = "220.68",
            ["statusFlags"] = 68,
            ["vv"] = 2,
            ["audioLatencies"] = new PlistArray(
                new PlistDict { ["audioType"] = "default", ["inputLatencyMicros"] = 0, ["outputLatencyMicros"] = false, ["type"] = 100 },
                new PlistDict { ["audioType"] = "default", ["inputLatencyMicros"] = 0, ["outputLatencyMicros"] = false, ["type"] = 101 }),
            ["audioFormats"] = new PlistArray(
                new PlistDict { ["audioInputFormats"] = 67108860, ["audioOutputFormats"] = 67108860, ["type"] = 100 },
                new PlistDict { ["audioInputFormats"] = 67108860, ["audioOutputFormats"] = 67108860, ["type"] = 101 }),
            ["displays"] = new PlistArray(new PlistDict
            {
                ["features"] = 14,
                ["height"] = 1080,
                ["heightPhysical"] = false,
                ["heightPixels"] = 1080,
                ["maxFPS"] = 30,
                ["overscanned"] = false,
                ["refreshRate"] = 1.0 / 60,
                ["rotation"] = false,
                ["uuid"] = "e0ff8a27-6738-3d56-8a16-cc53aacee925",
                ["width"] = 1920,
                ["widthPhysical"] = false,
                ["widthPixels"] = 1920,
            }),
        };
        binary = BinaryPlist.Write(info);
        xml = XmlPlist.Write(info);
    }

    [Benchmark]
    public PlistValue ReadBinary() => BinaryPlist.Read(binary);

    [Benchmark]
    public byte[] WriteBinary() => BinaryPlist.Write(info);

    [Benchmark]
    public PlistValue ReadXml() => XmlPlist.Read(xml);

    [Benchmark]
    public byte[] WriteXml() => XmlPlist.Write(info);
}
