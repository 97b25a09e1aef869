using System.Net.WebSockets;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Receiver.Core.Media;
using Receiver.Core.Timing;
using Receiver.Web.Media;

namespace Receiver.Benchmarks;

/// <summary>
/// One picture to one WebSocket viewer that keeps up: the channel publishes a fragment, the viewer's
/// <see cref="MediaWebSocketStreamer"/> (waiting on its queue) wakes on the thread pool, sends the media header and
/// the fragment (MSE) or access unit (WebCodecs) through a real server WebSocket into a stream that takes every
/// write, and releases the fragment; the operation ends when the send reached the stream. An IDR every 60 pictures,
/// so the GOP cache fills and empties as in a stream. Allocations are the process's (the memory diagnoser counts
/// every thread), so the viewer's side is in them.
/// </summary>
[MemoryDiagnoser]
public class ViewerSendBenchmarks : IDisposable
{
    private static readonly byte[] Sps = Convert.FromHexString("6742c01fda014016ec0440000003004000000f03c60ca8");
    private static readonly byte[] Pps = Convert.FromHexString("68ce0fc8");

    private readonly CancellationTokenSource _stop = new();
    private MediaChannel _channel = null!;
    private MediaViewer _viewer = null!;
    private CountingStream _stream = null!;
    private Task _run = Task.CompletedTask;
    private byte[] _payload = [];
    private long _pts;
    private long _frames;

    [Params("mse", "webcodecs")]
    public string Mode { get; set; } = "mse";

    [Params(16 * 1024, 128 * 1024)]
    public int Size { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _channel = new MediaChannel(new MediaChannelOptions { FragmentPool = new FragmentPool() });
        _channel.Publish(VideoFormat.FromH264([Sps], [Pps]));
        _viewer = _channel.Subscribe();
        _payload = new byte[Size];
        _payload[4] = 0x65;
        _channel.Publish(new VideoAccessUnit(_payload, true, _pts += 1500, 0));
        _payload[4] = 0x41;
        _stream = new CountingStream();
        var socket = WebSocket.CreateFromStream(_stream, new WebSocketCreationOptions { IsServer = true, KeepAliveInterval = TimeSpan.Zero });
        var meters = new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>();
        var mode = Mode == "mse" ? MediaStreamMode.Mse : MediaStreamMode.WebCodecs;
        var streamer = new MediaWebSocketStreamer(socket, _viewer, mode, lowDelay: false, TimeSpan.FromSeconds(30), new MediaMetrics(meters),
            new LatencyWindow(), new SenderClock(TimeProvider.System), TimeProvider.System, NullLogger.Instance);
        _run = streamer.RunAsync("bench", _stop.Token);
    }

    [GlobalCleanup]
    public void Dispose()
    {
        _stop.Cancel();
        _run.Wait(TimeSpan.FromSeconds(5));
        _viewer.Dispose();
        _stop.Dispose();
    }

    [Benchmark]
    public long PublishAndSend()
    {
        var sent = _stream.Writes + 1;
        _channel.Publish(new VideoAccessUnit(_payload, ++_frames % 60 == 0, _pts += 1500, 0));
        var spin = new SpinWait();
        while (_stream.Writes < sent)
        {
            spin.SpinOnce(sleep1Threshold: -1);
        }

        return sent;
    }

    /// <summary>A WebSocket's stream that takes every write and flush at once and counts the writes; reads wait until cancelled.</summary>
    private sealed class CountingStream : Stream
    {
        private long _writes;

        public long Writes => Interlocked.Read(ref _writes);

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Write(byte[] buffer, int offset, int count) => Interlocked.Increment(ref _writes);

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _writes);
            return ValueTask.CompletedTask;
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
            return 0;
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override void Flush()
        {
        }

        // The WebSocket flushes after every message; Stream's own FlushAsync would start a task for it each time,
        // where Kestrel's stream flushes its pipe without one.
        public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
