using System.Buffers;
using System.Text;
using Receiver.Core.Rtsp;

namespace Receiver.Core.Tests.Rtsp;

public class RtspRequestReaderTests
{
    private static byte[] Bytes(string s) => Encoding.Latin1.GetBytes(s);

    private static byte[] SetupRequest(int bodyLength)
    {
        var body = new byte[bodyLength];
        new Random(1).NextBytes(body);
        var head = $"SETUP rtsp://192.168.31.82/5259802854977588516 RTSP/1.0\r\nContent-Length: {bodyLength}\r\nContent-Type: application/x-apple-binary-plist\r\nCSeq: 3\r\nDACP-ID: 7136391BB370A579\r\nUser-Agent: AirPlay/425.1\r\n\r\n";
        return [.. Bytes(head), .. body];
    }

    /// <summary>The bytes as a pipe hands them out: everything received so far, in segments of the given size.</summary>
    private static ReadOnlySequence<byte> Segmented(byte[] data, int length, int segmentSize)
    {
        if (length == 0)
        {
            return ReadOnlySequence<byte>.Empty;
        }

        Segment? first = null;
        Segment? last = null;
        for (var offset = 0; offset < length; offset += segmentSize)
        {
            var chunk = data.AsMemory(offset, Math.Min(segmentSize, length - offset));
            last = last is null ? first = new Segment(chunk) : last.Append(chunk);
        }

        return new ReadOnlySequence<byte>(first!, 0, last!, last!.Memory.Length);
    }

    private static bool Read(RtspRequestReader reader, ReadOnlySequence<byte> input, out RtspRequest? request, out long consumed, out long examined)
    {
        var consumedAt = input.Start;
        var examinedAt = input.Start;
        var parsed = reader.TryParseMessage(input, ref consumedAt, ref examinedAt, out request);
        consumed = input.Slice(input.Start, consumedAt).Length;
        examined = input.Slice(input.Start, examinedAt).Length;
        return parsed;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(17)]
    [InlineData(4096)]
    public void TryParseMessage_EveryPrefixInTurn_IsIncompleteThenReturnsRequest(int segmentSize)
    {
        var data = SetupRequest(64);
        var reader = new RtspRequestReader(RtspLimits.Default);
        for (var length = 0; length < data.Length; length++)
        {
            Assert.False(Read(reader, Segmented(data, length, segmentSize), out _, out var consumed, out var examined), $"prefix {length}");
            Assert.Equal(0, consumed);
            Assert.Equal(length, examined);
        }

        Assert.True(Read(reader, Segmented(data, data.Length, segmentSize), out var request, out var used, out _));

        Assert.Equal(data.Length, used);
        Assert.Equal("3", request!.CSeq);
        Assert.Equal(data.AsSpan(data.Length - 64).ToArray(), request.Body.ToArray());
        Assert.Equal(1, reader.HeadsParsed);
    }

    [Fact]
    public void TryParseMessage_MegabyteBodyIn64KiBReads_ParsesHeadOnceAndAllocatesNothingWhileWaiting()
    {
        const int Body = 1024 * 1024;
        var data = SetupRequest(Body);
        var reader = new RtspRequestReader(RtspLimits.Default);
        var reads = new List<ReadOnlySequence<byte>>();
        for (var end = 64 * 1024; end < data.Length; end += 64 * 1024)
        {
            reads.Add(Segmented(data, end, 64 * 1024));
        }

        Assert.False(Read(reader, reads[0], out _, out _, out _));
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 1; i < reads.Count; i++)
        {
            Assert.False(Read(reader, reads[i], out _, out _, out _));
        }

        var waiting = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(Read(reader, Segmented(data, data.Length, 64 * 1024), out var request, out _, out _));

        Assert.Equal(1, reader.HeadsParsed);
        Assert.True(waiting < 1024, $"{waiting} bytes allocated while the body arrived");
        Assert.Equal(Body, request!.Body.Length);
    }

    [Fact]
    public void TryParseMessage_PipelinedRequests_ReturnsEachAndParsesEachHeadOnce()
    {
        var data = Bytes("GET /info RTSP/1.0\r\nCSeq: 10\r\n\r\nOPTIONS * RTSP/1.0\r\nCSeq: 11\r\n\r\n");
        var reader = new RtspRequestReader(RtspLimits.Default);
        var input = new ReadOnlySequence<byte>(data);

        Assert.True(Read(reader, input, out var first, out var consumed, out _));
        Assert.True(Read(reader, input.Slice(consumed), out var second, out var rest, out _));

        Assert.Equal("10", first!.CSeq);
        Assert.Equal("11", second!.CSeq);
        Assert.Equal(data.Length, consumed + rest);
        Assert.Equal(2, reader.HeadsParsed);
    }

    [Theory]
    [InlineData("GET /info RTSP/1.0\r\nCSeq: 7\r\nno colon here\r\n\r\n", RtspErrorReason.InvalidHeader)]
    [InlineData("GET /info RTSP/1.0\r\nX-Bad: a\u0001b\r\nCSeq: 7\r\n\r\n", RtspErrorReason.InvalidHeader)]
    [InlineData("POST /fp-setup RTSP/1.0\r\ncseq: 7\r\nContent-Length: garbage\r\n\r\n", RtspErrorReason.InvalidContentLength)]
    [InlineData("POST /fp-setup RTSP/1.0\r\nCSeq: 7\r\nContent-Length: 99999999999\r\n\r\n", RtspErrorReason.BodyTooLarge)]
    public void TryParseMessage_MalformedHead_ErrorCarriesCSeq(string text, RtspErrorReason reason)
    {
        var reader = new RtspRequestReader(RtspLimits.Default);

        var ex = Assert.Throws<RtspProtocolException>(() => Read(reader, new ReadOnlySequence<byte>(Bytes(text)), out _, out _, out _));

        Assert.Equal(reason, ex.Reason);
        Assert.Equal("7", ex.CSeq);
    }

    [Fact]
    public void TryParseMessage_MalformedCSeq_IsNotEchoed()
    {
        var reader = new RtspRequestReader(RtspLimits.Default);
        var input = new ReadOnlySequence<byte>(Bytes("GET /info RTSP/1.0\r\nCSeq: 7 evil\r\nno colon here\r\n\r\n"));

        var ex = Assert.Throws<RtspProtocolException>(() => Read(reader, input, out _, out _, out _));

        Assert.Null(ex.CSeq);
    }

    [Fact]
    public void WriteRefusal_MalformedHeader_AnswersBadRequestWithCSeq()
    {
        var reader = new RtspRequestReader(RtspLimits.Default);
        var input = new ReadOnlySequence<byte>(Bytes("GET /info RTSP/1.0\r\nCSeq: 42\r\nno colon here\r\n\r\n"));
        var ex = Assert.Throws<RtspProtocolException>(() => Read(reader, input, out _, out _, out _));
        var output = new ArrayBufferWriter<byte>();

        RtspResponseWriter.WriteRefusal(ex, DateTimeOffset.UnixEpoch, output);

        var text = Encoding.Latin1.GetString(output.WrittenSpan);
        Assert.StartsWith("RTSP/1.0 400 Bad Request\r\n", text, StringComparison.Ordinal);
        Assert.Contains("\r\nCSeq: 42\r\n", text, StringComparison.Ordinal);
        Assert.Contains("\r\nConnection: close\r\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParseMessage_BlankLinePastHeadLimit_IsNotSearchedFor()
    {
        var limits = RtspLimits.Default with { MaxHeadBytes = 64 };
        var reader = new RtspRequestReader(limits);
        var head = Bytes("GET /info RTSP/1.0\r\nX-Long: " + new string('a', 60) + "\r\n\r\n");

        Assert.False(Read(reader, new ReadOnlySequence<byte>(head, 0, 64), out _, out _, out var examined));
        Assert.Equal(64, examined);
        var ex = Assert.Throws<RtspProtocolException>(() => Read(reader, new ReadOnlySequence<byte>(head), out _, out _, out _));

        Assert.Equal(RtspErrorReason.HeaderTooLarge, ex.Reason);
        Assert.Equal(RtspStatus.RequestHeaderFieldsTooLarge, ex.StatusCode);
    }

    [Fact]
    public void TryParseMessage_BodyOverLimit_FailsBeforeTheBodyArrives()
    {
        var reader = new RtspRequestReader(RtspLimits.Default with { MaxBodyBytes = 1000 });
        var input = new ReadOnlySequence<byte>(Bytes("POST /x RTSP/1.0\r\nCSeq: 5\r\nContent-Length: 1001\r\n\r\n"));

        var ex = Assert.Throws<RtspProtocolException>(() => Read(reader, input, out _, out _, out _));

        Assert.Equal(RtspStatus.PayloadTooLarge, ex.StatusCode);
        Assert.Equal("5", ex.CSeq);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory) => Memory = memory;

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory) { RunningIndex = RunningIndex + Memory.Length };
            Next = next;
            return next;
        }
    }
}
