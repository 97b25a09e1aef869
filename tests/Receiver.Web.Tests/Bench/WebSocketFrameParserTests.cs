using System.Buffers.Binary;
using System.Text;
using Receiver.LoadBench;
using Receiver.Web.Media;

namespace Receiver.Web.Tests.Bench;

/// <summary>The load driver's minimal WebSocket client: server frames read from whatever a socket read returned.</summary>
public sealed class WebSocketFrameParserTests
{
    private const int Prefix = VideoFragmentTally.HeaderLength;

    /// <summary>A server frame (unmasked) with the length in the shortest form unless <paramref name="lengthForm"/> says 126 or 127.</summary>
    private static byte[] Frame(byte opcode, ReadOnlySpan<byte> payload, bool final = true, int lengthForm = 0, byte extraBits = 0)
    {
        var form = lengthForm != 0 ? lengthForm : payload.Length < 126 ? payload.Length : payload.Length <= ushort.MaxValue ? 126 : 127;
        var header = form == 126 ? 4 : form == 127 ? 10 : 2;
        var frame = new byte[header + payload.Length];
        frame[0] = (byte)((final ? 0x80 : 0) | extraBits | opcode);
        frame[1] = (byte)form;
        if (form == 126)
        {
            BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(2), (ushort)payload.Length);
        }
        else if (form == 127)
        {
            BinaryPrimitives.WriteInt64BigEndian(frame.AsSpan(2), payload.Length);
        }

        payload.CopyTo(frame.AsSpan(header));
        return frame;
    }

    private static byte[] Bytes(int length, byte seed) => Enumerable.Range(0, length).Select(i => (byte)(seed + i)).ToArray();

    private static byte[] Concat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();

    /// <summary>Reads <paramref name="stream"/> in pieces of <paramref name="pieceLength"/> bytes; each event with what it carried.</summary>
    private static List<string> ReadAll(byte[] stream, int pieceLength)
    {
        var parser = new WebSocketFrameParser(Prefix);
        var events = new List<string>();
        for (var offset = 0; offset < stream.Length; offset += pieceLength)
        {
            var piece = stream.AsSpan(offset, Math.Min(pieceLength, stream.Length - offset));
            while (!piece.IsEmpty)
            {
                if (!parser.TryRead(piece, out var used, out var kind))
                {
                    Assert.Equal(piece.Length, used);
                    break;
                }

                piece = piece[used..];
                events.Add(kind switch
                {
                    WebSocketMessageKind.Text or WebSocketMessageKind.Binary => $"{kind} {parser.MessageLength} {Convert.ToHexString(parser.Prefix)}",
                    WebSocketMessageKind.Close => $"Close {parser.CloseStatus} {parser.CloseReason}",
                    _ => $"{kind} {Convert.ToHexString(parser.ControlPayload)}",
                });
            }
        }

        return events;
    }

    private static byte[] Stream() => Concat(
        Frame(0x1, "{\"type\":\"format\"}"u8),
        Frame(0x2, Bytes(20, 1)),                                  // shorter than the prefix
        Frame(0x2, Bytes(300, 2)),                                 // 16-bit length
        Frame(0x2, Bytes(70_000, 3)),                              // 64-bit length
        Frame(0x2, Bytes(10, 4), final: false),                    // a message in three frames,
        Frame(0x9, "hi"u8),                                        // a ping between them,
        Frame(0x0, Bytes(50, 5), final: false),
        Frame(0x0, [], final: true),                               // the last one empty
        Frame(0x2, Bytes(5, 6), lengthForm: 127),                  // a small length in the 64-bit form
        Frame(0x8, Concat([0x03, 0xE8], "bye"u8.ToArray())));      // close 1000 "bye"

    private static readonly string[] Expected =
    [
        $"Text 17 {Convert.ToHexString("{\"type\":\"format\"}"u8)}",
        $"Binary 20 {Convert.ToHexString(Bytes(20, 1))}",
        $"Binary 300 {Convert.ToHexString(Bytes(Prefix, 2))}",
        $"Binary 70000 {Convert.ToHexString(Bytes(Prefix, 3))}",
        "Ping 6869",
        $"Binary 60 {Convert.ToHexString(Concat(Bytes(10, 4), Bytes(30, 5)))}",
        $"Binary 5 {Convert.ToHexString(Bytes(5, 6))}",
        "Close 1000 bye",
    ];

    [Fact]
    public void TryRead_WholeStreamInOneRead_ReadsEveryMessageAndControlFrame()
    {
        Assert.Equal(Expected, ReadAll(Stream(), int.MaxValue));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(17)]
    [InlineData(4096)]
    public void TryRead_StreamSplitAcrossReads_ReadsTheSame(int pieceLength)
    {
        Assert.Equal(Expected, ReadAll(Stream(), pieceLength));
    }

    [Fact]
    public void TryRead_EverySplitOfTwoFrames_ReadsTheSame()
    {
        var stream = Concat(Frame(0x2, Bytes(300, 7)), Frame(0x2, Bytes(3, 8), final: false), Frame(0x0, Bytes(45, 9)));
        var whole = ReadAll(stream, int.MaxValue);
        Assert.Equal(2, whole.Count);
        for (var split = 1; split < stream.Length; split++)
        {
            var parser = new WebSocketFrameParser(Prefix);
            var events = new List<string>();
            foreach (var piece in new[] { stream[..split], stream[split..] })
            {
                var data = piece.AsSpan();
                while (!data.IsEmpty && parser.TryRead(data, out var used, out var kind))
                {
                    data = data[used..];
                    events.Add($"{kind} {parser.MessageLength} {Convert.ToHexString(parser.Prefix)}");
                }
            }

            Assert.Equal(whole, events);
        }
    }

    [Fact]
    public void TryRead_CloseWithoutStatus_Reports1005()
    {
        Assert.Equal(["Close 1005 "], ReadAll(Frame(0x8, []), int.MaxValue));
    }

    public static TheoryData<string, byte[]> Malformed => new()
    {
        { "masked", [0x82, 0x81, 1, 2, 3, 4, 0] },
        { "reserved bit", Frame(0x2, [1], extraBits: 0x40) },
        { "continuation without a message", Frame(0x0, [1]) },
        { "new message inside one", Concat(Frame(0x2, [1], final: false), Frame(0x1, [2])) },
        { "long control frame", Frame(0x9, Bytes(126, 0)) },
        { "split control frame", Frame(0x9, [1], final: false) },
        { "unknown data opcode", Frame(0x3, [1]) },
        { "unknown control opcode", Frame(0xB, [1]) },
        { "64-bit length with its top bit", [0x82, 127, 0x80, 0, 0, 0, 0, 0, 0, 1] },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void TryRead_MalformedFrame_Throws(string what, byte[] stream)
    {
        var parser = new WebSocketFrameParser(Prefix);
        var error = Assert.Throws<InvalidDataException>(() =>
        {
            var data = stream.AsSpan();
            while (!data.IsEmpty && parser.TryRead(data, out var used, out _))
            {
                data = data[used..];
            }
        });
        Assert.False(string.IsNullOrEmpty(error.Message), what);
    }

    private static byte[] MediaMessage(MediaFrameKind kind, uint sequence, long receivedUs, long sentUs, int payload)
    {
        var bytes = new byte[MediaFrameHeader.Length + payload];
        new MediaFrameHeader(kind, IsKeyframe: false, sequence, sequence * 16_667L, 0, receivedUs, sentUs, false).Write(bytes);
        return bytes;
    }

    [Fact]
    public void RawViewer_MessagesInPieces_CountsFramesGapsLatencyAndBytes()
    {
        using var viewer = new RawWebSocketViewer(new Uri("http://127.0.0.1:1"), "s", "webcodecs", stalled: false);
        viewer.StartMeasuring();
        var stream = Concat(
            Frame(0x1, Encoding.UTF8.GetBytes("{\"type\":\"format\"}")),
            Frame(0x2, MediaMessage(MediaFrameKind.Media, 1, 1_000_000, 1_000_500, 40_000)),
            Frame(0x2, MediaMessage(MediaFrameKind.Media, 2, 2_000_000, 2_001_000, 100)),
            Frame(0x2, MediaMessage(MediaFrameKind.Media, 5, 3_000_000, 3_000_250, 70_000)),     // 3 and 4 never came
            Frame(0x2, MediaMessage(MediaFrameKind.Media, 6, 4_000_000, 4_000_100, 10)[..30], final: false),
            Frame(0x0, MediaMessage(MediaFrameKind.Media, 6, 4_000_000, 4_000_100, 10)[30..]));  // header split across frames
        for (var offset = 0; offset < stream.Length; offset += 1000)
        {
            viewer.Take(stream.AsSpan(offset, Math.Min(1000, stream.Length - offset)));
        }

        Assert.Null(viewer.CloseReason);
        Assert.Equal(4, viewer.Tally.VideoFrames);
        Assert.Equal(2, viewer.Tally.MissingFragments);
        Assert.Equal(new[] { 0.5f, 1f, 0.25f, 0.1f }, viewer.Tally.LatencyMs);
        Assert.Equal(17 + (4 * MediaFrameHeader.Length) + 40_000 + 100 + 70_000 + 10, viewer.BytesReceived);
    }

    [Fact]
    public void RawViewer_ProtocolError_ClosesWithTheReason()
    {
        using var viewer = new RawWebSocketViewer(new Uri("http://127.0.0.1:1"), "s", "webcodecs", stalled: false);
        viewer.Take(Frame(0x0, [1]));

        Assert.StartsWith("protocol error: a continuation frame", viewer.CloseReason, StringComparison.Ordinal);
    }
}
