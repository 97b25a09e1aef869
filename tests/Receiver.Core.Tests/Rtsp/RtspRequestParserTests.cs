using System.Buffers;
using System.Text;
using Receiver.Core.Rtsp;

namespace Receiver.Core.Tests.Rtsp;

public class RtspRequestParserTests
{
    private const string InfoRequest = "GET /info RTSP/1.0\r\nX-Apple-ProtocolVersion: 1\r\nCSeq: 4\r\nDACP-ID: 7136391BB370A579\r\nActive-Remote: 354444643\r\nUser-Agent: AirPlay/425.1\r\n\r\n";

    private static byte[] Bytes(string s) => Encoding.Latin1.GetBytes(s);

    private static byte[] SetupRequest(int bodyLength)
    {
        var body = new byte[bodyLength];
        new Random(1).NextBytes(body);
        var head = $"SETUP rtsp://192.168.31.82/5259802854977588516 RTSP/1.0\r\nContent-Length: {bodyLength}\r\nContent-Type: application/x-apple-binary-plist\r\nCSeq: 3\r\nDACP-ID: 7136391BB370A579\r\nActive-Remote: 354444643\r\nUser-Agent: AirPlay/425.1\r\n\r\n";
        return [.. Bytes(head), .. body];
    }

    private static ReadOnlySequence<byte> Segmented(byte[] data, int segmentSize)
    {
        if (data.Length == 0)
        {
            return ReadOnlySequence<byte>.Empty;
        }

        Segment? first = null;
        Segment? last = null;
        for (var offset = 0; offset < data.Length; offset += segmentSize)
        {
            var chunk = data.AsMemory(offset, Math.Min(segmentSize, data.Length - offset));
            last = last is null ? first = new Segment(chunk) : last.Append(chunk);
        }

        return new ReadOnlySequence<byte>(first!, 0, last!, last!.Memory.Length);
    }

    [Fact]
    public void TryParse_GetInfo_ReturnsRequestWithHeaders()
    {
        var buffer = new ReadOnlySequence<byte>(Bytes(InfoRequest));

        Assert.True(RtspRequestParser.TryParse(ref buffer, RtspLimits.Default, out var request));

        Assert.NotNull(request);
        Assert.Equal("GET", request.Method);
        Assert.Equal("/info", request.Path);
        Assert.Equal("RTSP/1.0", request.Protocol);
        Assert.Equal("4", request.CSeq);
        Assert.Equal("AirPlay/425.1", request.Headers["user-agent"]);
        Assert.True(request.Body.IsEmpty);
        Assert.True(buffer.IsEmpty);
    }

    [Fact]
    public void TryParse_SetupWithBody_ReturnsBodyAndRtspPath()
    {
        var data = SetupRequest(535);
        var buffer = new ReadOnlySequence<byte>(data);

        Assert.True(RtspRequestParser.TryParse(ref buffer, RtspLimits.Default, out var request));

        Assert.Equal("SETUP", request!.Method);
        Assert.Equal("/5259802854977588516", request.Path);
        Assert.Equal(535, request.Body.Length);
        Assert.Equal(data.AsSpan(data.Length - 535).ToArray(), request.Body.ToArray());
    }

    [Fact]
    public void TryParse_EveryPrefix_IsIncompleteAndConsumesNothing()
    {
        var data = SetupRequest(64);
        for (var length = 0; length < data.Length; length++)
        {
            var buffer = new ReadOnlySequence<byte>(data, 0, length);
            Assert.False(RtspRequestParser.TryParse(ref buffer, RtspLimits.Default, out _));
            Assert.Equal(length, buffer.Length);
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(17)]
    public void TryParse_HeaderSplitAcrossSegments_ReturnsRequest(int segmentSize)
    {
        var data = SetupRequest(100);
        var buffer = Segmented(data, segmentSize);

        Assert.True(RtspRequestParser.TryParse(ref buffer, RtspLimits.Default, out var request));

        Assert.Equal("3", request!.CSeq);
        Assert.Equal(100, request.Body.Length);
        Assert.True(buffer.IsEmpty);
    }

    [Fact]
    public void TryParse_TwoPipelinedRequests_ReturnsBothInOrder()
    {
        var data = Bytes(InfoRequest + InfoRequest.Replace("CSeq: 4", "CSeq: 5", StringComparison.Ordinal));
        var buffer = new ReadOnlySequence<byte>(data);

        Assert.True(RtspRequestParser.TryParse(ref buffer, RtspLimits.Default, out var first));
        Assert.True(RtspRequestParser.TryParse(ref buffer, RtspLimits.Default, out var second));

        Assert.Equal("4", first!.CSeq);
        Assert.Equal("5", second!.CSeq);
        Assert.True(buffer.IsEmpty);
    }

    [Theory]
    [InlineData("HTTP/1.1")]
    [InlineData("HTTP/1.0")]
    public void TryParse_HttpProtocol_IsAccepted(string protocol)
    {
        var buffer = new ReadOnlySequence<byte>(Bytes($"GET /stream.xml {protocol}\r\nContent-Length: 0\r\n\r\n"));

        Assert.True(RtspRequestParser.TryParse(ref buffer, RtspLimits.Default, out var request));

        Assert.Equal(protocol, request!.Protocol);
        Assert.True(request.IsHttp);
    }

    [Theory]
    [InlineData("GET /info RTSP/1.0\r\nContent-Length: -1\r\n\r\n", RtspErrorReason.InvalidContentLength)]
    [InlineData("GET /info RTSP/1.0\r\nContent-Length: abc\r\n\r\n", RtspErrorReason.InvalidContentLength)]
    [InlineData("GET /info RTSP/1.0\r\nContent-Length: 99999999999999999999999\r\n\r\n", RtspErrorReason.InvalidContentLength)]
    [InlineData("GET /info RTSP/1.0\r\nContent-Length: 1048577\r\n\r\n", RtspErrorReason.BodyTooLarge)]
    [InlineData("GET /info RTSP/1.0\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n", RtspErrorReason.InvalidContentLength)]
    [InlineData("GET /info RTSP/2.0\r\n\r\n", RtspErrorReason.UnsupportedProtocol)]
    [InlineData("GET/info RTSP/1.0\r\n\r\n", RtspErrorReason.InvalidRequestLine)]
    [InlineData("GET  RTSP/1.0\r\n\r\n", RtspErrorReason.InvalidRequestLine)]
    [InlineData("\u0001\u0002 /x RTSP/1.0\r\n\r\n", RtspErrorReason.InvalidRequestLine)]
    [InlineData("GET /info RTSP/1.0\r\nno colon here\r\n\r\n", RtspErrorReason.InvalidHeader)]
    [InlineData("GET /info RTSP/1.0\r\n: empty name\r\n\r\n", RtspErrorReason.InvalidHeader)]
    [InlineData("GET /info RTSP/1.0\r\nX-Bad: a\u0001b\r\n\r\n", RtspErrorReason.InvalidHeader)]
    public void TryParse_MalformedRequest_ThrowsWithReason(string text, RtspErrorReason reason)
    {
        var buffer = new ReadOnlySequence<byte>(Bytes(text));

        var ex = Assert.Throws<RtspProtocolException>(() => RtspRequestParser.TryParse(ref buffer, RtspLimits.Default, out _));

        Assert.Equal(reason, ex.Reason);
    }

    [Fact]
    public void TryParse_HugeHeaderLineWithoutEnd_ThrowsHeaderTooLarge()
    {
        var data = Bytes("GET /info RTSP/1.0\r\nX-Long: " + new string('a', 1024 * 1024));
        var buffer = new ReadOnlySequence<byte>(data);

        var ex = Assert.Throws<RtspProtocolException>(() => RtspRequestParser.TryParse(ref buffer, RtspLimits.Default, out _));

        Assert.Equal(RtspErrorReason.HeaderTooLarge, ex.Reason);
        Assert.Equal(RtspStatus.RequestHeaderFieldsTooLarge, ex.StatusCode);
    }

    [Fact]
    public void TryParse_TooManyHeaders_Throws()
    {
        var text = new StringBuilder("GET /info RTSP/1.0\r\n");
        for (var i = 0; i < 65; i++)
        {
            text.Append("X-H").Append(i).Append(": v\r\n");
        }

        var buffer = new ReadOnlySequence<byte>(Bytes(text.Append("\r\n").ToString()));

        var ex = Assert.Throws<RtspProtocolException>(() => RtspRequestParser.TryParse(ref buffer, RtspLimits.Default, out _));

        Assert.Equal(RtspErrorReason.TooManyHeaders, ex.Reason);
    }

    [Fact]
    public void TryParse_RandomBytes_NeverThrowsAnythingElse()
    {
        var random = new Random(42);
        for (var i = 0; i < 2000; i++)
        {
            var data = new byte[random.Next(0, 300)];
            random.NextBytes(data);
            if (i % 2 == 0 && data.Length > 4)
            {
                "\r\n\r\n"u8.CopyTo(data.AsSpan(random.Next(0, data.Length - 4)));
            }

            var buffer = new ReadOnlySequence<byte>(data);
            try
            {
                RtspRequestParser.TryParse(ref buffer, RtspLimits.Default, out _);
            }
            catch (RtspProtocolException)
            {
            }
        }
    }

    [Fact]
    public void Path_QueryAndAbsoluteUri_AreStripped()
    {
        var buffer = new ReadOnlySequence<byte>(Bytes("GET /info?txtAirPlay RTSP/1.0\r\n\r\n"));
        Assert.True(RtspRequestParser.TryParse(ref buffer, RtspLimits.Default, out var request));
        Assert.Equal("/info", request!.Path);
        Assert.Equal("txtAirPlay", request.Query);
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
