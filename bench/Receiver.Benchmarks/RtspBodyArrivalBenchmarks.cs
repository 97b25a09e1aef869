using System.Buffers;
using System.Text;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Jobs;
using Receiver.Core.Rtsp;

namespace Receiver.Benchmarks;

/// <summary>
/// Parse cost of one control request whose 1 MiB body arrives in 64 KiB reads, as a pipe delivers it: after every
/// read the parser sees everything received since the request began, and the request completes on the 17th read.
/// The stateless parser parses the head again on every read; the request reader keeps it between reads.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(RuntimeMoniker.Net10_0, launchCount: 1, warmupCount: 3, iterationCount: 8)]
public class RtspBodyArrivalBenchmarks
{
    private const int ReadSize = 64 * 1024;
    private const int BodyLength = 1024 * 1024;

    private ReadOnlySequence<byte> _whole;
    private long[] _readEnds = [];

    [GlobalSetup]
    public void Setup()
    {
        var head = Encoding.ASCII.GetBytes(
            $"SET_PARAMETER rtsp://192.168.31.82/5259802854977588516 RTSP/1.0\r\nContent-Length: {BodyLength}\r\nContent-Type: application/octet-stream\r\nCSeq: 12\r\nDACP-ID: 7136391BB370A579\r\nActive-Remote: 354444643\r\nUser-Agent: AirPlay/425.1\r\n\r\n");
        var data = new byte[head.Length + BodyLength];
        head.CopyTo(data, 0);
        new Random(7).NextBytes(data.AsSpan(head.Length));
        _whole = Chunked(data, ReadSize);
        var ends = new List<long>();
        for (long end = ReadSize; end < data.Length; end += ReadSize)
        {
            ends.Add(end);
        }

        ends.Add(data.Length);
        _readEnds = [.. ends];
    }

    /// <summary>The request parsed from scratch after every read.</summary>
    [Benchmark(Baseline = true)]
    public RtspRequest? StatelessParserEveryRead()
    {
        RtspRequest? request = null;
        foreach (var end in _readEnds)
        {
            var buffer = _whole.Slice(0, end);
            if (RtspRequestParser.TryParse(ref buffer, RtspLimits.Default, out request))
            {
                break;
            }
        }

        return request;
    }

    /// <summary>Only the 16 reads that end inside the body: what waiting for the body costs.</summary>
    [Benchmark]
    public int StatelessParserWaitingForBody()
    {
        var incomplete = 0;
        for (var i = 0; i < _readEnds.Length - 1; i++)
        {
            var buffer = _whole.Slice(0, _readEnds[i]);
            if (!RtspRequestParser.TryParse(ref buffer, RtspLimits.Default, out _))
            {
                incomplete++;
            }
        }

        return incomplete;
    }

    /// <summary>One <see cref="RtspRequestReader"/> per connection: the head is parsed once, then only the body is awaited.</summary>
    [Benchmark]
    public RtspRequest? RequestReaderEveryRead()
    {
        var reader = new RtspRequestReader(RtspLimits.Default);
        foreach (var end in _readEnds)
        {
            var buffer = _whole.Slice(0, end);
            var consumed = buffer.Start;
            var examined = buffer.Start;
            if (reader.TryParseMessage(buffer, ref consumed, ref examined, out var request))
            {
                return request;
            }
        }

        return null;
    }

    /// <summary>The request reader over the 16 reads that end inside the body.</summary>
    [Benchmark]
    public int RequestReaderWaitingForBody()
    {
        var reader = new RtspRequestReader(RtspLimits.Default);
        var incomplete = 0;
        for (var i = 0; i < _readEnds.Length - 1; i++)
        {
            var buffer = _whole.Slice(0, _readEnds[i]);
            var consumed = buffer.Start;
            var examined = buffer.Start;
            if (!reader.TryParseMessage(buffer, ref consumed, ref examined, out _))
            {
                incomplete++;
            }
        }

        return incomplete;
    }

    private static ReadOnlySequence<byte> Chunked(byte[] data, int size)
    {
        Chunk? first = null;
        Chunk? last = null;
        for (var offset = 0; offset < data.Length; offset += size)
        {
            var memory = data.AsMemory(offset, Math.Min(size, data.Length - offset));
            last = last is null ? first = new Chunk(memory, 0) : last.Append(memory);
        }

        return new ReadOnlySequence<byte>(first!, 0, last!, last!.Memory.Length);
    }

    private sealed class Chunk : ReadOnlySequenceSegment<byte>
    {
        public Chunk(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Chunk Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Chunk(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
