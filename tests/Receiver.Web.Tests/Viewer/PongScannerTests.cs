using System.Buffers.Binary;
using System.Security.Cryptography;
using Receiver.Web.Media;

namespace Receiver.Web.Tests.Viewer;

public sealed class PongScannerTests
{
    private const long Token = 0x0102030405060708;

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(17)]
    [InlineData(100_000)]
    public void Scan_PongAfterOtherFrames_FindsItInAnySegmentation(int segment)
    {
        var stream = Concat(
            ClientFrame(0x2, RandomNumberGenerator.GetBytes(70_000)),
            ClientFrame(0x1, "{\"type\":\"report\"}"u8.ToArray()),
            ClientFrame(0x9, [1, 2, 3]),
            ClientFrame(0xA, Payload(Token - 1)),
            ClientFrame(0xA, []),
            ClientFrame(0xA, Payload(Token)),
            ClientFrame(0x2, RandomNumberGenerator.GetBytes(300)));
        var scanner = new PongScanner();
        var seen = new List<long>();
        for (var at = 0; at < stream.Length; at += segment)
        {
            var pong = scanner.Scan(stream.AsSpan(at, Math.Min(segment, stream.Length - at)));
            if (pong != 0)
            {
                seen.Add(pong);
            }
        }

        Assert.False(scanner.Faulted);
        // Whole: the last pong of the bytes; in pieces: each in the piece where it ends.
        Assert.Equal(Token, seen[^1]);
        Assert.All(seen, pong => Assert.True(pong is Token or Token - 1));
    }

    [Fact]
    public void Scan_PongSplitBeforeItsLastByte_ReportsItWithTheLastByte()
    {
        var frame = ClientFrame(0xA, Payload(Token));
        var scanner = new PongScanner();

        Assert.Equal(0, scanner.Scan(frame.AsSpan(0, frame.Length - 1)));
        Assert.Equal(Token, scanner.Scan(frame.AsSpan(frame.Length - 1)));
    }

    [Fact]
    public void Scan_PongWithAnotherLength_IsNotReported()
    {
        var scanner = new PongScanner();

        Assert.Equal(0, scanner.Scan(Concat(ClientFrame(0xA, new byte[7]), ClientFrame(0xA, new byte[9]))));
        Assert.False(scanner.Faulted);
    }

    [Fact]
    public void Scan_UnmaskedFrame_FaultsAndStopsScanning()
    {
        var scanner = new PongScanner();

        Assert.Equal(0, scanner.Scan(Concat([0x8A, 0x08], Payload(Token), ClientFrame(0xA, Payload(Token)))));
        Assert.True(scanner.Faulted);
        Assert.Contains("unmasked", scanner.Fault, StringComparison.Ordinal);
        Assert.Equal(0, scanner.Scan(ClientFrame(0xA, Payload(Token))));
    }

    private static byte[] Payload(long token)
    {
        var payload = new byte[8];
        BinaryPrimitives.WriteInt64BigEndian(payload, token);
        return payload;
    }

    /// <summary>A whole client frame as RFC 6455 §5.2 says: FIN, masked with a random key.</summary>
    private static byte[] ClientFrame(int opcode, byte[] payload)
    {
        var header = new List<byte> { (byte)(0x80 | opcode) };
        if (payload.Length <= 125)
        {
            header.Add((byte)(0x80 | payload.Length));
        }
        else if (payload.Length <= ushort.MaxValue)
        {
            header.AddRange([0x80 | 126, (byte)(payload.Length >> 8), (byte)payload.Length]);
        }
        else
        {
            var length = new byte[8];
            BinaryPrimitives.WriteInt64BigEndian(length, payload.Length);
            header.Add(0x80 | 127);
            header.AddRange(length);
        }

        var mask = RandomNumberGenerator.GetBytes(4);
        header.AddRange(mask);
        return [.. header, .. payload.Select((b, i) => (byte)(b ^ mask[i % 4]))];
    }

    private static byte[] Concat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();
}
