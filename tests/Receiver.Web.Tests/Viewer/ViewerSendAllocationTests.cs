using System.Net.WebSockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Receiver.Core.Media;
using Receiver.Core.Timing;
using Receiver.Web.Media;
using Xunit.Abstractions;

namespace Receiver.Web.Tests.Viewer;

/// <summary>
/// A viewer's send loop allocates nothing per picture on its steady path: <see cref="MediaWebSocketStreamer"/> reads
/// its queue, writes the media header and the fragment (MSE) or access unit (WebCodecs) into a real server
/// WebSocket, and releases the fragment. The socket's stream notes, at every write, the writing thread and
/// <see cref="GC.GetAllocatedBytesForCurrentThread"/>; what the loop allocated between two sends is the difference
/// of two notes made on one thread. Two steady paths: a backlog (1,000 fragments already queued, each read without
/// waiting) and a viewer that keeps up (1,000 fragments published one at a time by another thread, each awaited).
/// The pool has held as many fragments before, as a stream's pool has after its first GOPs (its free list grows
/// once). Serial: the second path runs on the thread pool, which no other test should use meanwhile; a pool thread
/// may still run other work between two sends (the test runner's), so there the sends that allocated nothing must be
/// nearly all, where anything the loop allocated per send would make them none.
/// </summary>
[Collection(SerialCollection.Name)]
public sealed class ViewerSendAllocationTests(ITestOutputHelper output)
{
    private const int Measured = 1000;
    private const int WarmUp = 200;

    private static readonly byte[] Sps1280X720 = Convert.FromHexString("6742c01fda014016ec0440000003004000000f03c60ca8");
    private static readonly byte[] Pps = Convert.FromHexString("68ce0fc8");

    [Theory]
    [InlineData(MediaStreamMode.Mse)]
    [InlineData(MediaStreamMode.WebCodecs)]
    public async Task Send_QueuedFragments_AllocatesNothingPerFragment(MediaStreamMode mode)
    {
        var (channel, viewer) = Channel();
        for (var i = 0; i < WarmUp + Measured; i++)
        {
            channel.Publish(Frame(i, 16 * 1024));
        }

        var stream = new NotingStream(WarmUp + Measured + 8);
        using var stop = new CancellationTokenSource();
        var run = Streamer(stream, viewer, mode).RunAsync("session", stop.Token);

        // Every queued fragment was sent before RunAsync first waited: all on this thread.
        var sends = stream.Notes;
        var first = sends.Count - Measured - 1;
        Assert.True(first > WarmUp, $"{sends.Count} writes");
        Assert.Equal(sends[first].Thread, sends[^1].Thread);
        var allocated = sends[^1].Allocated - sends[first].Allocated;
        await stop.CancelAsync();
        await run;
        viewer.Dispose();

        Assert.True(allocated == 0, $"{allocated} bytes over {Measured} sends ({(double)allocated / Measured:F1} per send)");
    }

    [Theory]
    [InlineData(MediaStreamMode.Mse)]
    [InlineData(MediaStreamMode.WebCodecs)]
    public async Task Send_ViewerKeepingUp_AllocatesNothingPerFragment(MediaStreamMode mode)
    {
        var (channel, viewer) = Channel();
        var stream = new NotingStream(WarmUp + Measured + 8);
        using var stop = new CancellationTokenSource();
        var run = Streamer(stream, viewer, mode).RunAsync("session", stop.Token);
        var pictures = Enumerable.Range(0, WarmUp + Measured).Select(i => Frame(i, 16 * 1024)).ToArray();
        PublishPaced(channel, viewer, pictures);
        await WaitUntilAsync(() => stream.Notes.Count >= WarmUp + Measured + 1);
        await stop.CancelAsync();
        await run;
        viewer.Dispose();

        var sends = stream.Notes;
        long allocated = 0;
        var pairs = 0;
        var clean = 0;
        for (var i = sends.Count - Measured; i < sends.Count; i++)
        {
            if (sends[i].Thread == sends[i - 1].Thread)
            {
                var delta = sends[i].Allocated - sends[i - 1].Allocated;
                allocated += delta;
                pairs++;
                clean += delta == 0 ? 1 : 0;
            }
        }

        output.WriteLine($"{clean} of {pairs} awaited sends on the previous send's thread allocated nothing ({allocated} bytes in all)");
        output.WriteLine($"process: {(sends[^1].ProcessAllocated - sends[^Measured].ProcessAllocated) / (Measured - 1.0):F1} bytes per send");
        Assert.True(pairs >= Measured / 4, $"only {pairs} of {Measured} sends followed the previous one on its thread");
        Assert.True(clean >= pairs * 0.9, $"{pairs - clean} of {pairs} awaited sends allocated ({allocated} bytes in all)");
    }

    /// <summary>
    /// The direct path (<see cref="DirectViewerConnection"/>): each message one gathered send into a real loopback TCP
    /// socket, which a reader thread drains and counts frame by frame without allocating. The sends complete on the
    /// streamer's thread while the socket has room and on the socket engine's pool thread when it had to wait, so the
    /// figure is the whole process's: the reader notes <see cref="GC.GetTotalAllocatedBytes"/> at every frame, and
    /// nearly every send must come with nothing allocated anywhere since the one before (the runtime's own work, a
    /// new pool thread, make a few exceptions); anything made per send would make them all count. Keeping up, the
    /// stream has a keyframe every 60 pictures, so the GOP cache's list stops growing as in a stream.
    /// </summary>
    [Theory]
    [InlineData(MediaStreamMode.Mse, false)]
    [InlineData(MediaStreamMode.WebCodecs, false)]
    [InlineData(MediaStreamMode.Mse, true)]
    [InlineData(MediaStreamMode.WebCodecs, true)]
    public async Task Send_DirectToSocket_AllocatesNothingPerFragment(MediaStreamMode mode, bool keepingUp)
    {
        var (channel, viewer) = Channel();
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        using var client = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
        // Connected synchronously, so the socket stays blocking and the reader's waits allocate nothing either.
        client.Connect((System.Net.IPEndPoint)listener.LocalEndpoint);
        using var server = await listener.AcceptSocketAsync();
        var frames = new FrameCounter(client, WarmUp, WarmUp + Measured);
        var reader = new Thread(frames.Run) { IsBackground = true };
        reader.Start();

        var upgraded = new MemoryStream();
        using var connection = new DirectViewerConnection(upgraded, server, () => server.Shutdown(System.Net.Sockets.SocketShutdown.Both));
        await connection.StartAsync(CancellationToken.None);
        connection.OnPong(System.Buffers.Binary.BinaryPrimitives.ReadInt64BigEndian(upgraded.ToArray().AsSpan(2, 8)));
        Assert.True(connection.IsHandedOver);

        if (!keepingUp)
        {
            for (var i = 0; i < WarmUp + Measured; i++)
            {
                channel.Publish(Frame(i, 16 * 1024));
            }
        }

        using var stop = new CancellationTokenSource();
        var run = Streamer(new NotingStream(8), viewer, mode, connection).RunAsync("session", stop.Token);
        if (keepingUp)
        {
            // The pictures are made first: making one is an allocation of the test's, not of the send path.
            var pictures = Enumerable.Range(0, WarmUp + Measured + 1).Select(i => Frame(i, 16 * 1024, keyframe: i % 60 == 0)).ToArray();
            PublishPaced(channel, viewer, pictures);
        }

        Assert.True(reader.Join(TimeSpan.FromSeconds(60)), $"the reader counted {frames.Binary} binary frames");
        await stop.CancelAsync();
        await run;
        viewer.Dispose();

        var allocated = frames.AllocatedAtEnd - frames.AllocatedAtStart;
        var dirty = Enumerable.Range(WarmUp + 1, Measured).Count(i => frames.Trace[i] != frames.Trace[i - 1]);
        output.WriteLine($"{Measured - dirty} of {Measured} direct sends with nothing allocated in the whole process since the previous one ({allocated} bytes in all)");
        Assert.True(dirty <= Measured / 10, $"{dirty} of {Measured} sends allocated ({allocated} bytes in all, {(double)allocated / Measured:F1} per send)");
    }

    /// <summary>Publishes each picture once the viewer's queue is empty again (at most a second each), on a thread of its own.</summary>
    private static void PublishPaced(MediaChannel channel, MediaViewer viewer, VideoAccessUnit[] pictures)
    {
        var publisher = new Thread(() =>
        {
            foreach (var picture in pictures)
            {
                channel.Publish(picture);
                var deadline = Environment.TickCount64 + 1000;
                while (viewer.QueuedMessages > 0 && Environment.TickCount64 < deadline)
                {
                    Thread.Sleep(1);
                }
            }
        });
        publisher.Start();
        publisher.Join();
    }

    private static (MediaChannel Channel, MediaViewer Viewer) Channel()
    {
        var options = new MediaChannelOptions
        {
            FragmentPool = new FragmentPool(maxRetainedBytes: 1L << 30),
            MaxQueuedMessages = 4 * (WarmUp + Measured),
            MaxQueuedBytes = 1L << 30,
        };
        var earlier = new MediaChannel(options);
        earlier.Publish(VideoFormat.FromH264([Sps1280X720], [Pps]));
        using (earlier.Subscribe())
        {
            for (var i = 0; i < WarmUp + Measured + 8; i++)
            {
                earlier.Publish(Frame(i, 16 * 1024, keyframe: i == 0));
            }
        }

        earlier.Complete("warm-up");
        var channel = new MediaChannel(options);
        channel.Publish(VideoFormat.FromH264([Sps1280X720], [Pps]));
        var viewer = channel.Subscribe();
        channel.Publish(Frame(-1, 1024, keyframe: true));
        return (channel, viewer);
    }

    private static VideoAccessUnit Frame(int index, int size, bool keyframe = false)
    {
        var payload = new byte[size];
        payload[3] = (byte)(size - 4);
        payload[2] = (byte)((size - 4) >> 8);
        payload[4] = 0x41;
        return new VideoAccessUnit(payload, keyframe, (index + 1) * 1500L, (index + 1) * 16_666_667L);
    }

    private static MediaWebSocketStreamer Streamer(NotingStream stream, MediaViewer viewer, MediaStreamMode mode, DirectViewerConnection? direct = null)
    {
        var socket = WebSocket.CreateFromStream(stream, new WebSocketCreationOptions { IsServer = true, KeepAliveInterval = TimeSpan.Zero });
        var meters = new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>();
        return new MediaWebSocketStreamer(socket, direct ?? (IViewerMessageWriter)new WebSocketMessageWriter(socket), viewer, mode, lowDelay: false,
            TimeSpan.FromSeconds(30), new MediaMetrics(meters), new LatencyWindow(), new SenderClock(TimeProvider.System), TimeProvider.System, NullLogger.Instance);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!condition() && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10);
        }
    }

    /// <summary>A WebSocket's stream that takes every write at once and notes it; reads wait until cancelled.</summary>
    private sealed class NotingStream(int capacity) : Stream
    {
        private readonly Note[] _notes = new Note[capacity];
        private int _count;

        public IReadOnlyList<Note> Notes => new ArraySegment<Note>(_notes, 0, Volatile.Read(ref _count));

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Write(ReadOnlySpan<byte> buffer) => NoteWrite();

        public override void Write(byte[] buffer, int offset, int count) => NoteWrite();

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            NoteWrite();
            return ValueTask.CompletedTask;
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            NoteWrite();
            return Task.CompletedTask;
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
            return 0;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override void Flush()
        {
        }

        public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        private void NoteWrite()
        {
            var allocated = GC.GetAllocatedBytesForCurrentThread();
            if (_count < _notes.Length)
            {
                _notes[_count] = new Note(Environment.CurrentManagedThreadId, allocated, GC.GetTotalAllocatedBytes(precise: true));
                Volatile.Write(ref _count, _count + 1);
            }
        }
    }

    private readonly record struct Note(int Thread, long Allocated, long ProcessAllocated);

    /// <summary>
    /// Reads server frames (RFC 6455: unmasked) from a socket without allocating and notes the process's allocated
    /// bytes at every binary frame up to <paramref name="end"/> (<see cref="Trace"/>), and apart at <paramref name="start"/> and <paramref name="end"/>.
    /// </summary>
    private sealed class FrameCounter(System.Net.Sockets.Socket socket, int start, int end)
    {
        private readonly byte[] _buffer = new byte[256 * 1024];
        private readonly byte[] _header = new byte[10];

        public int Binary { get; private set; }

        public long AllocatedAtStart { get; private set; }

        public long AllocatedAtEnd { get; private set; }

        public long[] Trace { get; } = new long[end + 1];

        public void Run()
        {
            var headerFilled = 0;
            long payloadLeft = 0;
            while (Binary < end)
            {
                var read = socket.Receive(_buffer);
                if (read == 0)
                {
                    return;
                }

                var at = 0;
                while (at < read)
                {
                    if (payloadLeft > 0)
                    {
                        var skip = (int)Math.Min(payloadLeft, read - at);
                        at += skip;
                        payloadLeft -= skip;
                        continue;
                    }

                    _header[headerFilled++] = _buffer[at++];
                    var needed = headerFilled < 2 ? 2 : (_header[1] & 0x7F) switch { 126 => 4, 127 => 10, _ => 2 };
                    if (headerFilled < needed)
                    {
                        continue;
                    }

                    payloadLeft = (_header[1] & 0x7F) switch
                    {
                        126 => System.Buffers.Binary.BinaryPrimitives.ReadUInt16BigEndian(_header.AsSpan(2)),
                        127 => System.Buffers.Binary.BinaryPrimitives.ReadInt64BigEndian(_header.AsSpan(2)),
                        var length => length,
                    };
                    if ((_header[0] & 0x0F) == 0x2 && Binary < end)
                    {
                        Trace[Binary + 1] = GC.GetTotalAllocatedBytes(precise: true);
                    }

                    if ((_header[0] & 0x0F) == 0x2 && ++Binary is var count && (count == start || count == end))
                    {
                        var allocated = GC.GetTotalAllocatedBytes(precise: true);
                        if (count == start)
                        {
                            AllocatedAtStart = allocated;
                        }
                        else
                        {
                            AllocatedAtEnd = allocated;
                        }
                    }

                    headerFilled = 0;
                }
            }
        }
    }
}
