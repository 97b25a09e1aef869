using System.Net;
using BenchmarkDotNet.Attributes;
using Receiver.Core.Diagnostics;
using Receiver.Core.Plist;
using Receiver.Core.Rtsp;

namespace Receiver.Benchmarks;

/// <summary>
/// What a protocol capture costs: a packet header while nobody captures (the price every session pays) and while
/// someone does, one keys SETUP exchange recorded with its secrets removed, and writing a capture of 10,000 headers.
/// </summary>
[MemoryDiagnoser]
public class ProtocolCaptureBenchmarks
{
    private const int Packets = 1000;
    private static readonly CaptureLimits Defaults = new();

    private ProtocolCapture idle = null!;
    private ProtocolCapture recording = null!;
    private ProtocolCapture full = null!;
    private RtspRequest setup = null!;
    private RtspResponse reply = null!;

    [GlobalSetup]
    public void Setup()
    {
        var remote = new IPEndPoint(IPAddress.Loopback, 50000);
        idle = new ProtocolCapture(new CaptureLimits(), TimeProvider.System, remote, recordPackets: false);
        full = new ProtocolCapture(new CaptureLimits(), TimeProvider.System, remote, recordPackets: true);
        for (var i = 0; i < 10_000; i++)
        {
            full.RecordMirrorPacket(0, 0, 0, 5000, (ulong)i << 28);
        }

        var headers = new RtspHeaders();
        headers.Add("CSeq", "9");
        headers.Add("Content-Type", "application/x-apple-binary-plist");
        headers.Add("X-Apple-Device-ID", "0xaabbccddeeff");
        var body = BinaryPlist.Write(new PlistDict
        {
            ["ekey"] = new byte[72],
            ["eiv"] = new byte[16],
            ["et"] = 32,
            ["deviceID"] = "AA:BB:CC:DD:EE:FF",
            ["model"] = "iPhone15,2",
            ["name"] = "Anna's iPhone",
            ["osVersion"] = "17.5.1",
            ["sessionUUID"] = "0E7E5D38-2F7B-4A8C-8F1D-7B2A4D1E9C3F",
            ["timingPort"] = 50001,
            ["isScreenMirroringSession"] = true,
        });
        setup = new RtspRequest("SETUP", "rtsp://10.0.0.2/123", "RTSP/1.0", headers, body);
        reply = RtspResponse.WithBody(BinaryPlist.Write(new PlistDict { ["eventPort"] = 0, ["timingPort"] = 50002 }), "application/x-apple-binary-plist");
    }

    [Benchmark(OperationsPerInvoke = Packets)]
    public void PacketHeader_NotCapturing()
    {
        for (var i = 0; i < Packets; i++)
        {
            idle.RecordMirrorPacket(0, 0, 0, 5000, (ulong)i);
        }
    }

    [IterationSetup(Target = nameof(PacketHeader_Capturing))]
    public void NewCapture() =>
        recording = new ProtocolCapture(Defaults, TimeProvider.System, new IPEndPoint(IPAddress.Loopback, 50000), recordPackets: true);

    /// <summary>Filling a capture to its default cap, from empty: the list's growth is part of the cost.</summary>
    [Benchmark(OperationsPerInvoke = 100_000)]
    public void PacketHeader_Capturing()
    {
        for (var i = 0; i < Defaults.MaxPacketEntries; i++)
        {
            recording.RecordMirrorPacket(0, 0, 0, 5000, (ulong)i);
        }
    }

    [Benchmark]
    public byte[] KeysSetupExchange_Redacted() => ControlExchangeJson.Write(1.0, setup, 2.0, reply, closesConnection: false, note: null);

    [Benchmark]
    public async Task<long> Document_10000Headers()
    {
        using var stream = new MemoryStream();
        await CaptureDocument.WriteAsync(stream, full, new CaptureReceiver("1.0", "Receiver", "AppleTV3,2", "220.68", "0x0", []), CancellationToken.None);
        return stream.Length;
    }
}
