using System.Buffers;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Receiver.Core.Mirroring;
using Receiver.Web.Connections;
using Receiver.Web.Hosting;
using Receiver.Web.Tests.Infrastructure;

namespace Receiver.Web.Tests.Hosting;

/// <summary>
/// The mirror port's own transport: a blocking socket read by a thread of its own, 64 KiB pipe blocks until a flow
/// takes the packets over, then packets read and handed over on that thread; Kestrel's defaults on every other listener.
/// </summary>
public sealed class MirrorPortTransportTests
{
    [Fact]
    public void CanBind_OnlyTheMirrorPortsEndPoint()
    {
        var factory = NewFactory(new TransportBlockPoolFactory());

        Assert.True(factory.CanBind(new MirrorPortEndPoint(IPAddress.IPv6Any, 7100)));
        Assert.False(factory.CanBind(new IPEndPoint(IPAddress.IPv6Any, 7100)));
        Assert.False(factory.CanBind(new IPEndPoint(IPAddress.Loopback, 0)));
        Assert.False(factory.CanBind(new UnixDomainSocketEndPoint("/tmp/receiver-test.sock")));
    }

    [Fact]
    public async Task Connection_BurstOfBytes_ReadsInBlocksLargerThanKestrels()
    {
        var blocks = new TransportBlockPoolFactory();
        var factory = NewFactory(blocks);
        await using var listener = await factory.BindAsync(new MirrorPortEndPoint(IPAddress.Loopback, 0));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var accept = listener.AcceptAsync(timeout.Token).AsTask();
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await client.ConnectAsync((IPEndPoint)listener.EndPoint, timeout.Token);
        await using var connection = await accept ?? throw new InvalidOperationException("no connection accepted");

        // Sent before the first read, so that the transport finds more than 4 KiB waiting.
        var sent = new byte[256 * 1024];
        Random.Shared.NextBytes(sent);
        await client.SendAsync(sent, SocketFlags.None, timeout.Token);
        client.Shutdown(SocketShutdown.Send);

        var received = new List<byte>(sent.Length);
        var largest = 0;
        while (true)
        {
            var result = await connection.Transport.Input.ReadAsync(timeout.Token);
            foreach (var segment in result.Buffer)
            {
                largest = Math.Max(largest, segment.Length);
            }

            received.AddRange(result.Buffer.ToArray());
            connection.Transport.Input.AdvanceTo(result.Buffer.End);
            if (result.IsCompleted)
            {
                break;
            }
        }

        Assert.Equal(sent, received.ToArray());
        Assert.True(largest > 4096, $"largest segment {largest} bytes");
        Assert.True(blocks.BlocksAllocated > 0);
    }

    [Fact]
    public async Task Receiver_MirrorPortReadsIntoTheBlocks_WebAndControlPortsDoNot()
    {
        await using var host = await ReceiverHost.StartAsync();
        var blocks = host.App.Services.GetRequiredService<TransportBlockPoolFactory>();
        // Kestrel's application-wide pool is left as it is.
        Assert.IsNotType<TransportBlockPoolFactory>(host.App.Services.GetRequiredService<IMemoryPoolFactory<byte>>());

        using (var http = new HttpClient { BaseAddress = host.WebUrl })
        {
            (await http.GetAsync(new Uri("/healthz", UriKind.Relative))).EnsureSuccessStatusCode();
        }

        await SendAndReadAnswerAsync(host.ControlPort, "OPTIONS * RTSP/1.0\r\nCSeq: 1\r\n\r\n");
        Assert.Equal(0, blocks.BlocksAllocated);

        // A legacy HTTP request on the mirror port: the receiver answers it and the connection's bytes were read into a block.
        await SendAndReadAnswerAsync(host.MirrorPort, "GET /stream.xml HTTP/1.1\r\nContent-Length: 0\r\n\r\n");
        Assert.True(blocks.BlocksAllocated > 0);
    }

    [Fact]
    public async Task Connection_IsAPlainBlockingSocket_AndARefusedOneStartsNoThread()
    {
        await using var pair = await ConnectedPair.OpenAsync();
        var connection = (MirrorSocketConnection)pair.Connection;
        // O_NONBLOCK (04000) is off: reads are plain blocking recv calls, with no readiness notification behind them.
        var flags = File.ReadAllLines($"/proc/self/fdinfo/{connection.Socket.Handle}").Single(l => l.StartsWith("flags:", StringComparison.Ordinal));
        Assert.Equal(0, Convert.ToInt32(flags["flags:".Length..].Trim(), 8) & 0x800);
        Assert.False(connection.ReaderStarted);

        await pair.Client.SendAsync(new byte[] { 1, 2, 3, 4 }, SocketFlags.None);
        var result = await connection.Transport.Input.ReadAsync(pair.Timeout.Token);
        Assert.True(connection.ReaderStarted);
        Assert.Equal(4, result.Buffer.Length);
        connection.Transport.Input.AdvanceTo(result.Buffer.End);
    }

    [Fact]
    public async Task ReadPackets_HeldThenPipedThenSocketBytes_ArriveInOrderOnTheReadingThread()
    {
        await using var pair = await ConnectedPair.OpenAsync();
        var packets = Enumerable.Range(0, 40).Select(i => Packet(i, i switch { 0 => 0, 1 => 3, < 10 => 700 * i, _ => 70_000 + 9_000 * i })).ToArray();
        var stream = packets.SelectMany(p => p).ToArray();

        // The handler reads the first part through the pipe (as the preface and matching do) and holds some of it.
        var firstPart = 200_000;
        await pair.Client.SendAsync(stream.AsMemory(0, firstPart), SocketFlags.None);
        using var reader = new ProtocolReader(pair.Connection.Transport.Input, TimeProvider.System, new ProtocolTimeouts { Idle = Timeout.InfiniteTimeSpan });
        var first = await reader.ReadAsync(new MirrorPacketMessageReader(MirrorPacketReader.DefaultMaxPayload), pair.Timeout.Token);
        Assert.True(first.HasMessage);
        var sink = new RecordingSink();
        sink.Process(first.Message.Header, first.Message.Payload);
        reader.Advance();

        var read = ((IMirrorPacketReadFeature)pair.Connection).ReadPacketsAsync(reader.TakeHeldBytes(), sink, MirrorPacketReader.DefaultMaxPayload, TimeSpan.FromSeconds(30), TimeProvider.System, pair.Timeout.Token);
        // The rest in uneven writes, some of them splitting headers.
        for (var offset = firstPart; offset < stream.Length;)
        {
            var length = Math.Min(stream.Length - offset, 1 + Random.Shared.Next(150_000));
            await pair.Client.SendAsync(stream.AsMemory(offset, length), SocketFlags.None);
            offset += length;
        }

        pair.Client.Shutdown(SocketShutdown.Send);
        Assert.Equal(0, await read.WaitAsync(pair.Timeout.Token));
        Assert.Equal(packets.Length, sink.Packets.Count);
        for (var i = 0; i < packets.Length; i++)
        {
            Assert.Equal(packets[i], sink.Packets[i]);
        }

        // The packets already read were handed over at once by the caller; every one after them on the connection's thread.
        var onThread = sink.Threads.IndexOf("Mirror reader");
        Assert.True(onThread > 0, $"first packet on the reading thread: {onThread}");
        Assert.All(sink.Threads.Skip(onThread), name => Assert.Equal("Mirror reader", name));
    }

    [Fact]
    public async Task ReadPackets_BytesPipedWhileTheHandOverIsUnderWay_AreReadThoughNoMoreCome()
    {
        await using var pair = await ConnectedPair.OpenAsync();
        var connection = (MirrorSocketConnection)pair.Connection;
        var first = Packet(1, 300);
        var last = Packet(2, 300);
        await pair.Client.SendAsync(first, SocketFlags.None);
        var read = await connection.Transport.Input.ReadAsync(pair.Timeout.Token);
        Assert.Equal(first.Length, read.Buffer.Length);
        connection.Transport.Input.AdvanceTo(read.Buffer.Start, read.Buffer.End);

        // The last packet arrives after the handler looked into the pipe and before the thread takes over; the thread
        // puts it in the pipe and waits for more, which never come.
        connection.BeforeHandOver = () =>
        {
            pair.Client.Send(last);
            Thread.Sleep(300);
        };
        var sink = new RecordingSink();
        var packets = connection.ReadPacketsAsync([], sink, MirrorPacketReader.DefaultMaxPayload, Timeout.InfiniteTimeSpan, TimeProvider.System, pair.Timeout.Token);

        await WaitForAsync(() => sink.Packets.Count == 2, pair.Timeout.Token);
        Assert.Equal([first, last], sink.Packets);
        Assert.False(packets.IsCompleted);
    }

    [Fact]
    public async Task ReadPackets_SenderClosesInsideAPacket_ReturnsTheBytesLeft()
    {
        await using var pair = await ConnectedPair.OpenAsync();
        var whole = Packet(1, 5_000);
        var cut = Packet(2, 3_000_000);
        var sink = new RecordingSink();
        var read = ((IMirrorPacketReadFeature)pair.Connection).ReadPacketsAsync([], sink, MirrorPacketReader.DefaultMaxPayload, Timeout.InfiniteTimeSpan, TimeProvider.System, pair.Timeout.Token);
        await pair.Client.SendAsync(whole, SocketFlags.None);
        await pair.Client.SendAsync(cut.AsMemory(0, 2_000_000), SocketFlags.None);
        pair.Client.Shutdown(SocketShutdown.Send);

        Assert.Equal(2_000_000, await read.WaitAsync(pair.Timeout.Token));
        Assert.Equal([whole], sink.Packets);
    }

    [Fact]
    public async Task ReadPackets_HeaderOverTheCap_ThrowsBeforeItsPayload()
    {
        await using var pair = await ConnectedPair.OpenAsync();
        var read = ((IMirrorPacketReadFeature)pair.Connection).ReadPacketsAsync([], new RecordingSink(), 10_000, Timeout.InfiniteTimeSpan, TimeProvider.System, pair.Timeout.Token);
        await pair.Client.SendAsync(Packet(1, 100).AsMemory(), SocketFlags.None);
        await pair.Client.SendAsync(Packet(2, 10_001).AsMemory(0, MirrorPacketHeader.Size), SocketFlags.None);

        var error = await Assert.ThrowsAsync<MirrorProtocolException>(() => read.WaitAsync(pair.Timeout.Token));
        Assert.Equal(MirrorProtocolError.PayloadTooLarge, error.Error);
    }

    [Fact]
    public async Task ReadPackets_NothingForTheIdleTime_EndsSilentOnTheApplicationsClock()
    {
        await using var pair = await ConnectedPair.OpenAsync();
        var time = new FakeTimeProvider();
        var sink = new RecordingSink();
        var read = ((IMirrorPacketReadFeature)pair.Connection).ReadPacketsAsync([], sink, MirrorPacketReader.DefaultMaxPayload, TimeSpan.FromSeconds(5), time, pair.Timeout.Token);
        await pair.Client.SendAsync(Packet(1, 10), SocketFlags.None);
        await WaitForAsync(() => sink.Packets.Count == 1, pair.Timeout.Token);

        // Data keeps the stream alive; silence for the whole idle time ends it.
        time.Advance(TimeSpan.FromSeconds(4));
        await pair.Client.SendAsync(Packet(2, 10), SocketFlags.None);
        await WaitForAsync(() => sink.Packets.Count == 2, pair.Timeout.Token);
        time.Advance(TimeSpan.FromSeconds(4));
        await Task.Delay(100, pair.Timeout.Token);
        Assert.False(read.IsCompleted, "4 s of silence is under the idle time");
        time.Advance(TimeSpan.FromSeconds(1));

        var error = await Assert.ThrowsAsync<MirrorProtocolException>(() => read.WaitAsync(pair.Timeout.Token));
        Assert.Equal(MirrorProtocolError.Silent, error.Error);
    }

    [Fact]
    public async Task ReadPackets_Stopped_EndsEvenWhileTheSenderKeepsSending()
    {
        await using var pair = await ConnectedPair.OpenAsync();
        using var stop = new CancellationTokenSource();
        var sink = new RecordingSink();
        var read = ((IMirrorPacketReadFeature)pair.Connection).ReadPacketsAsync([], sink, MirrorPacketReader.DefaultMaxPayload, Timeout.InfiniteTimeSpan, TimeProvider.System, stop.Token);
        using var sending = CancellationTokenSource.CreateLinkedTokenSource(pair.Timeout.Token);
        var sender = Task.Run(async () =>
        {
            var packet = Packet(1, 1000);
            try
            {
                while (!sending.IsCancellationRequested)
                {
                    await pair.Client.SendAsync(packet, SocketFlags.None, sending.Token);
                }
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException)
            {
            }
        });
        await WaitForAsync(() => sink.Packets.Count > 100, pair.Timeout.Token);

        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => read.WaitAsync(pair.Timeout.Token));
        await sending.CancelAsync();
        await sender;
    }

    [Fact]
    public async Task ReadPackets_SteadyStream_AllocatesNothingPerPacketOnTheReadingThread()
    {
        await using var pair = await ConnectedPair.OpenAsync();
        const int Count = 1_200;
        var sink = new AllocationSink(Count);
        var read = ((IMirrorPacketReadFeature)pair.Connection).ReadPacketsAsync([], sink, MirrorPacketReader.DefaultMaxPayload, TimeSpan.FromSeconds(30), TimeProvider.System, pair.Timeout.Token);
        var packets = Enumerable.Range(0, Count).Select(i => Packet(i, 20_000 + 97 * (i % 300))).SelectMany(p => p).ToArray();
        for (var offset = 0; offset < packets.Length; offset += 100_000)
        {
            await pair.Client.SendAsync(packets.AsMemory(offset, Math.Min(100_000, packets.Length - offset)), SocketFlags.None);
        }

        pair.Client.Shutdown(SocketShutdown.Send);
        Assert.Equal(0, await read.WaitAsync(pair.Timeout.Token));
        Assert.Equal(Count, sink.Seen);
        // Reads, framing, buffer moves and deadline stamps between packet 100 and the last: nothing allocated.
        Assert.Equal(0, sink.AllocatedAt[Count - 1] - sink.AllocatedAt[100]);
    }

    private static async Task SendAndReadAnswerAsync(int port, string request)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await client.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), timeout.Token);
        await client.SendAsync(System.Text.Encoding.ASCII.GetBytes(request), SocketFlags.None, timeout.Token);
        var buffer = new byte[4096];
        Assert.True(await client.ReceiveAsync(buffer, SocketFlags.None, timeout.Token) > 0, "the receiver answered");
    }

    private static MirrorPortTransportFactory NewFactory(TransportBlockPoolFactory blocks, bool readingThread = false) =>
        new(Microsoft.Extensions.Options.Options.Create(new SocketTransportOptions()), blocks, NullLoggerFactory.Instance,
            Microsoft.Extensions.Options.Options.Create(new Receiver.Web.Options.ReceiverOptions { MirrorReadingThread = readingThread }));

    private static byte[] Packet(int index, int payloadLength)
    {
        var packet = new byte[MirrorPacketHeader.Size + payloadLength];
        new MirrorPacketHeader { PayloadSize = (uint)payloadLength, PayloadType = MirrorPayloadType.Heartbeat, Timestamp = (ulong)index }.WriteTo(packet);
        Random.Shared.NextBytes(packet.AsSpan(MirrorPacketHeader.Size));
        return packet;
    }

    private static async Task WaitForAsync(Func<bool> condition, CancellationToken cancellationToken)
    {
        while (!condition())
        {
            await Task.Delay(10, cancellationToken);
        }
    }

    /// <summary>The reading thread's allocated bytes as each packet arrives, noted without allocating.</summary>
    private sealed class AllocationSink(int count) : IMirrorPacketSink
    {
        public long[] AllocatedAt { get; } = new long[count];

        public int Seen { get; private set; }

        public void Process(in MirrorPacketHeader header, in ReadOnlySequence<byte> payload)
        {
            AllocatedAt[Seen++] = GC.GetAllocatedBytesForCurrentThread();
        }
    }

    /// <summary>Each packet as it arrived (header and payload re-assembled) and the thread it arrived on.</summary>
    private sealed class RecordingSink : IMirrorPacketSink
    {
        private readonly List<byte[]> _packets = [];

        public List<string?> Threads { get; } = [];

        public IReadOnlyList<byte[]> Packets
        {
            get
            {
                lock (_packets)
                {
                    return _packets.ToArray();
                }
            }
        }

        public void Process(in MirrorPacketHeader header, in ReadOnlySequence<byte> payload)
        {
            var packet = new byte[MirrorPacketHeader.Size + payload.Length];
            header.WriteTo(packet);
            payload.CopyTo(packet.AsSpan(MirrorPacketHeader.Size));
            lock (_packets)
            {
                _packets.Add(packet);
                Threads.Add(Thread.CurrentThread.Name);
            }
        }
    }

    /// <summary>A listener of the mirror port's transport on loopback, one client and its accepted connection.</summary>
    private sealed class ConnectedPair : IAsyncDisposable
    {
        private IConnectionListener _listener = null!;

        public CancellationTokenSource Timeout { get; } = new(TimeSpan.FromSeconds(30));

        public Socket Client { get; } = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);

        public ConnectionContext Connection { get; private set; } = null!;

        public static async Task<ConnectedPair> OpenAsync()
        {
            var pair = new ConnectedPair();
            pair._listener = await NewFactory(new TransportBlockPoolFactory(), readingThread: true).BindAsync(new MirrorPortEndPoint(IPAddress.Loopback, 0));
            var accept = pair._listener.AcceptAsync(pair.Timeout.Token).AsTask();
            await pair.Client.ConnectAsync((IPEndPoint)pair._listener.EndPoint, pair.Timeout.Token);
            pair.Connection = await accept ?? throw new InvalidOperationException("no connection accepted");
            return pair;
        }

        public async ValueTask DisposeAsync()
        {
            await Connection.DisposeAsync();
            Client.Dispose();
            await _listener.DisposeAsync();
            Timeout.Dispose();
        }
    }
}
