using System.Buffers.Binary;
using System.Net.WebSockets;
using System.Security.Cryptography;
using Receiver.Core.Media;
using Receiver.Web.Media;
using Receiver.Web.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Receiver.Web.Tests.Viewer;

/// <summary>
/// Media messages written straight to a plain-HTTP viewer's socket (<see cref="DirectViewerConnection"/>), seen from
/// outside: by a WebSocket client written from the RFC that shows each frame (<see cref="RawWebSocketClient"/>), and by
/// .NET's <see cref="ClientWebSocket"/>. Pictures are random bytes in AVCC form, published into a live session, so
/// every byte a viewer receives can be compared with what was published.
/// </summary>
[Collection(SerialCollection.Name)]
public sealed class DirectSendTests(ITestOutputHelper output)
{
    private static readonly byte[] Sps = Convert.FromHexString("6742c01fda014016ec0440000003004000000f03c60ca8");
    private static readonly byte[] Pps = Convert.FromHexString("68ce0fc8");

    /// <summary>A viewer queue that takes several 1 MiB pictures without skipping (the default holds 4 MiB).</summary>
    private const long QueueForLargePictures = 16 * 1024 * 1024;

    [Fact]
    public async Task PlainHttpViewer_GetsEachPictureAsOneFrame_OnlyAfterAnsweringTheHandOverPing()
    {
        await using var live = await LiveSession.StartAsync(null);
        live.Session.Media.Publish(VideoFormat.FromH264([Sps], [Pps]));
        await using var client = await RawWebSocketClient.ConnectAsync(live.Host.WebUrl, $"/ws/sessions/{live.Id}/media?mode=webcodecs");

        var ping = await client.ReadFrameAsync() ?? throw new InvalidOperationException("closed");
        Assert.Equal((true, RawFrame.Ping, 8), (ping.Fin, ping.Opcode, ping.PayloadLength));

        // A picture waits for this viewer, but nothing comes before the ping is answered.
        var pictures = new List<byte[]> { Picture(300 * 1024, keyframe: true) };
        Publish(live, pictures[0], 0, keyframe: true);
        await Task.Delay(500);
        Assert.Equal(0, client.Available);

        await client.SendPongAsync(ping);
        var format = await client.ReadFrameAsync() ?? throw new InvalidOperationException("closed");
        Assert.Equal((true, RawFrame.Text), (format.Fin, format.Opcode));
        Assert.Equal("format", MediaFormatMessage.Parse(System.Text.Encoding.UTF8.GetString(format.Payload))?.Type);

        // Sizes on both sides of the small-message copy (4 KiB) and of the 16-bit frame length.
        int[] sizes = [200, 4000, 4100, 65_000, 65_600, 40_000, 1_000_000];
        foreach (var size in sizes)
        {
            pictures.Add(Picture(size, keyframe: false));
            Publish(live, pictures[^1], pictures.Count - 1, keyframe: false);
        }

        for (var i = 0; i < pictures.Count; i++)
        {
            var frame = await client.ReadFrameAsync() ?? throw new InvalidOperationException("closed");
            Assert.Equal((true, RawFrame.Binary, false), (frame.Fin, frame.Opcode, frame.Reserved));
            var header = MediaFrameHeader.Read(frame.Payload);
            Assert.Equal((MediaFrameKind.Media, i == 0), (header.Kind, header.IsKeyframe));
            Assert.True(frame.Payload.AsSpan(MediaFrameHeader.Length).SequenceEqual(pictures[i]), $"picture {i} ({pictures[i].Length} bytes) differs");
        }

        output.WriteLine($"{pictures.Count} pictures, each one frame, byte-identical");
    }

    [Theory]
    [InlineData("webcodecs")]
    [InlineData("mse")]
    public async Task ClientWebSocket_ReceivesEveryPictureByteIdentical(string mode)
    {
        await using var live = await LiveSession.StartAsync(null);
        live.Session.Media.Publish(VideoFormat.FromH264([Sps], [Pps]));
        await using var client = await live.ConnectAsync($"mode={mode}");
        Assert.NotNull((await client.ReceiveAsync())?.Text);
        if (mode == "mse")
        {
            Assert.Equal(MediaFrameKind.InitSegment, (await client.ReceiveAsync())?.Header?.Kind);
        }

        var pictures = new List<byte[]>();
        var reading = Task.Run(async () =>
        {
            var received = new List<ReceivedMediaMessage>();
            while (received.Count < 2 * 30)
            {
                received.Add(await client.ReceiveMediaAsync());
            }

            return received;
        });
        for (var i = 0; i < 2 * 30; i++)
        {
            var keyframe = i % 30 == 0;
            pictures.Add(Picture(keyframe ? 300 * 1024 + (i * 1000) : RandomNumberGenerator.GetInt32(500, 80_000), keyframe));
            Publish(live, pictures[^1], i, keyframe);
            await Task.Delay(2);
        }

        var messages = await reading;
        for (var i = 0; i < pictures.Count; i++)
        {
            var payload = messages[i].Payload;
            Assert.Equal(i % 30 == 0, messages[i].Header!.Value.IsKeyframe);
            if (mode == "mse")
            {
                Assert.Equal("moof", messages[i].FirstBoxType);
                Assert.True(payload[^pictures[i].Length..].SequenceEqual(pictures[i]), $"picture {i} differs");
            }
            else
            {
                Assert.True(payload.SequenceEqual(pictures[i]), $"picture {i} differs");
            }
        }
    }

    [Fact]
    public async Task ViewerLeavingInTheMiddleOfAFrame_LeavesTheOthersIntact()
    {
        await using var live = await LiveSession.StartAsync(null, $"--Receiver:Viewer:MaxQueuedBytes={QueueForLargePictures}");
        live.Session.Media.Publish(VideoFormat.FromH264([Sps], [Pps]));
        var leaver = await RawWebSocketClient.ConnectAsync(live.Host.WebUrl, $"/ws/sessions/{live.Id}/media?mode=webcodecs", receiveBufferBytes: 16 * 1024);
        await leaver.SendPongAsync(await leaver.ReadFrameAsync() ?? throw new InvalidOperationException("closed"));
        Assert.Equal(RawFrame.Text, (await leaver.ReadFrameAsync())?.Opcode);
        await using var stays = await live.ConnectAsync("mode=webcodecs");
        Assert.NotNull((await stays.ReceiveAsync())?.Text);

        // Seven pictures of 1 MiB: more than the leaver's socket buffers hold (4 MiB at most here), so its sends wait
        // for the socket; less than a viewer's queue takes here (16 MiB), so the one that stays is not skipped.
        var pictures = new List<byte[]>();
        var reading = Task.Run(async () =>
        {
            var received = new List<ReceivedMediaMessage>();
            while (received.Count < 9)
            {
                received.Add(await stays.ReceiveMediaAsync());
            }

            return received;
        });
        for (var i = 0; i < 7; i++)
        {
            pictures.Add(Picture(1024 * 1024, keyframe: i == 0));
            Publish(live, pictures[^1], i, keyframe: i == 0);
        }

        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10)))
        {
            var header = await leaver.ReadFrameHeaderAsync(timeout.Token);
            Assert.Equal(MediaFrameHeader.Length + (1024 * 1024), header?.PayloadLength);
            await leaver.ReadExactlyAsync(new byte[1000], timeout.Token);
        }

        leaver.Drop();
        await Eventually.TrueAsync(() => live.Session.Media.ViewerCount == 1, TimeSpan.FromSeconds(10));

        for (var i = 7; i < 9; i++)
        {
            pictures.Add(Picture(70_000, keyframe: false));
            Publish(live, pictures[^1], i, keyframe: false);
        }

        var messages = await reading;
        for (var i = 0; i < pictures.Count; i++)
        {
            Assert.True(messages[i].Payload.SequenceEqual(pictures[i]), $"picture {i} differs");
        }

        // The receiver still serves a new viewer.
        await using var next = await live.ConnectAsync("mode=webcodecs");
        Assert.NotNull((await next.ReceiveAsync())?.Text);
        var backlog = await next.ReceiveMediaAsync();
        Assert.True(backlog.Payload.SequenceEqual(pictures[0]));
    }

    [Fact]
    public async Task ViewerThatStopsReading_IsDisconnectedAfterTheSendTimeout()
    {
        await using var live = await LiveSession.StartAsync(null, "--Receiver:Viewer:SendTimeoutSeconds=1", $"--Receiver:Viewer:MaxQueuedBytes={QueueForLargePictures}");
        live.Session.Media.Publish(VideoFormat.FromH264([Sps], [Pps]));
        var stuck = await RawWebSocketClient.ConnectAsync(live.Host.WebUrl, $"/ws/sessions/{live.Id}/media?mode=webcodecs", receiveBufferBytes: 16 * 1024);
        await using var _ = stuck;
        await stuck.SendPongAsync(await stuck.ReadFrameAsync() ?? throw new InvalidOperationException("closed"));
        await Eventually.TrueAsync(() => live.Session.Media.ViewerCount == 1, TimeSpan.FromSeconds(5));

        for (var i = 0; i < 10; i++)
        {
            Publish(live, Picture(1024 * 1024, keyframe: i == 0), i, keyframe: i == 0);
        }

        // Its send waits for a socket that takes nothing; the timeout aborts the connection under it.
        await Eventually.TrueAsync(() => live.Session.Media.ViewerCount == 0, TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task ViewerThatNeverAnswersThePing_GetsNoMediaAndIsDisconnected()
    {
        await using var live = await LiveSession.StartAsync(null, "--Receiver:Viewer:SendTimeoutSeconds=1");
        live.Session.Media.Publish(VideoFormat.FromH264([Sps], [Pps]));
        await using var silent = await RawWebSocketClient.ConnectAsync(live.Host.WebUrl, $"/ws/sessions/{live.Id}/media?mode=webcodecs");
        Publish(live, Picture(10_000, keyframe: true), 0, keyframe: true);

        var opcodes = new List<int>();
        while (await ReadOrEndAsync(silent) is { } frame)
        {
            opcodes.Add(frame.Opcode);
        }

        Assert.All(opcodes, opcode => Assert.True(opcode is RawFrame.Ping or RawFrame.Close, $"opcode {opcode}"));
        await Eventually.TrueAsync(() => live.Session.Media.ViewerCount == 0, TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task ViewerBeyondTheCap_GetsTheCloseWithItsReasonAndNothingAfterIt()
    {
        await using var live = await LiveSession.StartAsync(null, "--Receiver:Viewer:MaxViewersPerSession=1");
        live.Session.Media.Publish(VideoFormat.FromH264([Sps], [Pps]));
        await using var first = await live.ConnectAsync("mode=webcodecs");
        Assert.NotNull((await first.ReceiveAsync())?.Text);
        await using var refused = await RawWebSocketClient.ConnectAsync(live.Host.WebUrl, $"/ws/sessions/{live.Id}/media?mode=webcodecs");

        var frames = new List<RawFrame>();
        while (await ReadOrEndAsync(refused) is { } frame)
        {
            frames.Add(frame);
            if (frame.Opcode == RawFrame.Ping)
            {
                await refused.SendPongAsync(frame);
            }
            else if (frame.Opcode == RawFrame.Close)
            {
                await refused.SendFrameAsync(RawFrame.Close, frame.Payload);
            }
        }

        output.WriteLine(string.Join(", ", frames.Select(f => f.Opcode)));
        var close = Assert.Single(frames, f => f.Opcode == RawFrame.Close);
        Assert.Equal(close, frames[^1]);
        Assert.Equal((ushort)MediaCloseStatus.Full, BinaryPrimitives.ReadUInt16BigEndian(close.Payload));
        Assert.StartsWith("full: ", System.Text.Encoding.UTF8.GetString(close.Payload.AsSpan(2)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task DirectSendOff_PictureGoesThroughTheWebSocketAsTwoFrames()
    {
        await using var live = await LiveSession.StartAsync(null, "--Receiver:Viewer:DirectSend=false");
        live.Session.Media.Publish(VideoFormat.FromH264([Sps], [Pps]));
        await using var client = await RawWebSocketClient.ConnectAsync(live.Host.WebUrl, $"/ws/sessions/{live.Id}/media?mode=webcodecs");
        Assert.Equal(RawFrame.Text, (await client.ReadFrameAsync())?.Opcode);
        var picture = Picture(50_000, keyframe: true);
        Publish(live, picture, 0, keyframe: true);

        var header = await client.ReadFrameAsync() ?? throw new InvalidOperationException("closed");
        var rest = await client.ReadFrameAsync() ?? throw new InvalidOperationException("closed");
        Assert.Equal((false, RawFrame.Binary, MediaFrameHeader.Length), (header.Fin, header.Opcode, header.PayloadLength));
        Assert.Equal((true, 0), (rest.Fin, rest.Opcode));
        Assert.True(rest.Payload.AsSpan().SequenceEqual(picture));
    }

    [Fact]
    public async Task HttpsViewer_ReceivesPicturesIntactThroughTheEncryptedStream()
    {
        await using var live = await LiveSession.StartAsync(null);
        live.Session.Media.Publish(VideoFormat.FromH264([Sps], [Pps]));
        using var socket = new ClientWebSocket();
        socket.Options.RemoteCertificateValidationCallback = (_, _, _, _) => true;
        var uri = new UriBuilder(live.Host.HttpsUrl) { Scheme = "wss", Path = $"/ws/sessions/{live.Id}/media", Query = "mode=webcodecs" }.Uri;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await socket.ConnectAsync(uri, timeout.Token);
        var pictures = new[] { Picture(300 * 1024, keyframe: true), Picture(3000, keyframe: false), Picture(60_000, keyframe: false) };
        for (var i = 0; i < pictures.Length; i++)
        {
            Publish(live, pictures[i], i, pictures[i][4] == 0x65);
        }

        var buffer = new byte[2 * 1024 * 1024];
        var received = 0;
        while (received < pictures.Length)
        {
            var length = 0;
            ValueWebSocketReceiveResult result;
            do
            {
                result = await socket.ReceiveAsync(buffer.AsMemory(length), timeout.Token);
                length += result.Count;
            }
            while (!result.EndOfMessage);

            if (result.MessageType == WebSocketMessageType.Binary)
            {
                Assert.True(buffer.AsSpan(MediaFrameHeader.Length, length - MediaFrameHeader.Length).SequenceEqual(pictures[received]), $"picture {received} differs");
                received++;
            }
        }
    }

    private static async Task<RawFrame?> ReadOrEndAsync(RawWebSocketClient client)
    {
        try
        {
            return await client.ReadFrameAsync(TimeSpan.FromSeconds(10));
        }
        catch (Exception ex) when (ex is IOException or EndOfStreamException or System.Net.Sockets.SocketException)
        {
            return null;
        }
    }

    private static void Publish(LiveSession live, byte[] picture, int index, bool keyframe) =>
        live.Session.Media.Publish(new VideoAccessUnit(picture, keyframe, (index + 1) * 1500L, (index + 1) * 16_666_667L));

    /// <summary>One NAL unit of random bytes behind its 4-byte length: an IDR slice or a non-IDR slice.</summary>
    private static byte[] Picture(int size, bool keyframe)
    {
        var picture = RandomNumberGenerator.GetBytes(size);
        BinaryPrimitives.WriteInt32BigEndian(picture, size - 4);
        picture[4] = keyframe ? (byte)0x65 : (byte)0x41;
        return picture;
    }
}
