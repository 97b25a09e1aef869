using System.Buffers;
using System.Text;
using BenchmarkDotNet.Attributes;
using Receiver.Core.Rtsp;

namespace Receiver.Benchmarks;

/// <summary>Parse cost of a typical <c>GET /info</c> and of a 2 KiB SETUP-like request.</summary>
[MemoryDiagnoser]
public class RtspParserBenchmarks
{
    private ReadOnlySequence<byte> _info;
    private ReadOnlySequence<byte> _setup;

    [GlobalSetup]
    public void Setup()
    {
        _info = new ReadOnlySequence<byte>(Encoding.ASCII.GetBytes(
            "GET /info RTSP/1.0\r\nX-Apple-ProtocolVersion: 1\r\nCSeq: 4\r\nDACP-ID: 7136391BB370A579\r\nActive-Remote: 354444643\r\nUser-Agent: AirPlay/425.1\r\n\r\n"));
        var head = Encoding.ASCII.GetBytes(
            "SETUP rtsp://192.168.31.82/5259802854977588516 RTSP/1.0\r\nContent-Length: 1800\r\nContent-Type: application/x-apple-binary-plist\r\nCSeq: 3\r\nDACP-ID: 7136391BB370A579\r\nActive-Remote: 354444643\r\nUser-Agent: AirPlay/425.1\r\n\r\n");
        var body = new byte[1800];
        new Random(7).NextBytes(body);
        _setup = new ReadOnlySequence<byte>([.. head, .. body]);
    }

    [Benchmark]
    public RtspRequest? ParseGetInfo()
    {
        var buffer = _info;
        RtspRequestParser.TryParse(ref buffer, RtspLimits.Default, out var request);
        return request;
    }

    [Benchmark]
    public RtspRequest? ParseSetup2KiB()
    {
        var buffer = _setup;
        RtspRequestParser.TryParse(ref buffer, RtspLimits.Default, out var request);
        return request;
    }
}
