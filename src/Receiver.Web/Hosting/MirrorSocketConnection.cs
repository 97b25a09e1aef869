using System.Buffers;
using System.Globalization;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http.Features;
using Receiver.Core.Mirroring;
using Receiver.Web.Connections;

namespace Receiver.Web.Hosting;

/// <summary>
/// One connection of the mirror port (<see cref="MirrorPortTransportFactory"/>). Its socket is read by a thread of its
/// own with blocking reads, started by the first read of <see cref="ConnectionContext.Transport"/>'s input, the way
/// a mirror stream is read best: the sender writes as fast as it encodes, so the socket nearly always has data, and
/// a blocking read returns it without any readiness notification or thread hand-off.
/// </summary>
/// <remarks>
/// <para>
/// Until a flow takes the packets over, the thread writes what it reads into the input pipe, in 64 KiB blocks, for the
/// mirror port's handlers (the four-byte preface, the legacy HTTP requests, the packets read to match a connection to
/// its session). <see cref="IMirrorPacketReadFeature.ReadPacketsAsync"/> then moves the stream onto the thread itself:
/// the bytes still held by the handler and the pipe first, then straight from the socket into one buffer, each packet
/// handed to its sink where it was read. Its deadlines run on the application's <see cref="TimeProvider"/>; a deadline
/// or a stop shuts the socket's receiving side, which wakes the blocked read.
/// </para>
/// <para>
/// The socket is never used for asynchronous operations, so it stays a blocking socket and its reads are plain
/// <c>recv</c> calls. Writes (the legacy flow's HTTP responses) are blocking sends with a timeout.
/// </para>
/// </remarks>
internal sealed partial class MirrorSocketConnection : ConnectionContext,
    IConnectionIdFeature, IConnectionTransportFeature, IConnectionItemsFeature, IConnectionLifetimeFeature, IConnectionEndPointFeature,
    IConnectionSocketFeature, IMirrorPacketReadFeature
{
    /// <summary>The smallest read: a pipe block, or what is left of the packet buffer before it is compacted.</summary>
    internal const int MinimumRead = TransportBlockPool.BlockSize;

    /// <summary>The packet buffer's first size; it grows, up to one packet of the largest payload allowed, when a packet needs it.</summary>
    internal const int InitialPacketBuffer = 1024 * 1024;

    /// <summary>How often a thread waiting for bytes before the hand-over looks whether the hand-over came (µs).</summary>
    internal const int HandOverCheck = 50_000;

    /// <summary>A send that makes no progress for this long fails, so a sender that never reads cannot hold a thread.</summary>
    internal static readonly TimeSpan SendTimeout = TimeSpan.FromSeconds(10);

    private static long s_nextId;

    private readonly Socket _socket;
    private readonly ILogger _logger;
    private readonly Pipe _input;
    private readonly PipeWriter _output;
    private readonly CancellationTokenSource _closed = new();
    private readonly object _gate = new();
    private Thread? _thread;
    private Takeover? _takeover;
    private bool _claimed;
    private bool _pipeEnded;
    private int _disposed;
    private IDictionary<object, object?>? _items;

    public MirrorSocketConnection(Socket socket, MemoryPool<byte> blocks, ILogger logger)
    {
        _socket = socket;
        _logger = logger;
        socket.NoDelay = true;
        socket.SendTimeout = (int)SendTimeout.TotalMilliseconds;
        ConnectionId = "M" + Interlocked.Increment(ref s_nextId).ToString("X8", CultureInfo.InvariantCulture);
        LocalEndPoint = socket.LocalEndPoint;
        RemoteEndPoint = socket.RemoteEndPoint;
        // The thread writes and waits for room itself (inline); the handlers' continuations run on the thread pool.
        _input = new Pipe(new PipeOptions(blocks, readerScheduler: PipeScheduler.ThreadPool, writerScheduler: PipeScheduler.Inline,
            pauseWriterThreshold: 1024 * 1024, resumeWriterThreshold: 512 * 1024, minimumSegmentSize: MinimumRead, useSynchronizationContext: false));
        _output = PipeWriter.Create(new SocketSendStream(socket), new StreamPipeWriterOptions(leaveOpen: true));
        Transport = new DuplexPipe(new StartingReader(this, _input.Reader), _output);
        Features = new FeatureCollection();
        Features.Set<IConnectionIdFeature>(this);
        Features.Set<IConnectionTransportFeature>(this);
        Features.Set<IConnectionItemsFeature>(this);
        Features.Set<IConnectionLifetimeFeature>(this);
        Features.Set<IConnectionEndPointFeature>(this);
        Features.Set<IConnectionSocketFeature>(this);
        Features.Set<IMirrorPacketReadFeature>(this);
    }

    public override string ConnectionId { get; set; }

    public override IFeatureCollection Features { get; }

    public override IDictionary<object, object?> Items
    {
        get => _items ??= new Dictionary<object, object?>();
        set => _items = value;
    }

    public override IDuplexPipe Transport { get; set; }

    public override CancellationToken ConnectionClosed
    {
        get => _closed.Token;
        set => throw new NotSupportedException("The mirror port's connections signal their own close.");
    }

    public Socket Socket => _socket;

    /// <summary>True once the reading thread has started (tests: a refused connection never starts one).</summary>
    internal bool ReaderStarted => Volatile.Read(ref _thread) is not null;

    /// <summary>Runs after the packets already read were handed over and before the thread takes over (tests: the race between the two).</summary>
    internal Action? BeforeHandOver { get; set; }

    public override void Abort(ConnectionAbortedException abortReason)
    {
        LogAborted(_logger, ConnectionId, abortReason.Message);
        Close();
    }

    public override async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        Close();
        await _output.CompleteAsync();
        await _input.Reader.CompleteAsync();
        _closed.Dispose();
        _socket.Dispose();
    }

    public async Task<long> ReadPacketsAsync(byte[] held, IMirrorPacketSink sink, int maxPayload, TimeSpan idleTimeout, TimeProvider time, CancellationToken cancellationToken)
    {
        var takeover = new Takeover(sink, maxPayload, idleTimeout, time, cancellationToken);
        lock (_gate)
        {
            if (_claimed)
            {
                throw new InvalidOperationException("The connection's packets are already being read.");
            }

            _claimed = true;
        }

        // The deadline and the stop run from here, also while the thread still waits in a read for the pipe.
        var handed = false;
        takeover.Watch = new Watchdog(this, takeover);
        try
        {
            // The packets the handler and the pipe hold now are handled here, at once (the thread may be waiting for more
            // bytes from a quiet sender); the thread goes on from the packet they leave incomplete.
            var bytes = new ArrayBufferWriter<byte>(Math.Max(held.Length, 256));
            bytes.Write(held);
            var ended = false;
            if (_input.Reader.TryRead(out var pending))
            {
                foreach (var segment in pending.Buffer)
                {
                    bytes.Write(segment.Span);
                }

                ended = pending.IsCompleted;
                _input.Reader.AdvanceTo(pending.Buffer.End);
            }

            var rest = Parse(takeover, bytes.WrittenMemory);
            BeforeHandOver?.Invoke();
            if (!ended)
            {
                lock (_gate)
                {
                    if (!_pipeEnded)
                    {
                        takeover.Held = rest;
                        _takeover = takeover;
                        handed = true;
                    }
                }
            }

            if (handed)
            {
                // A thread waiting for room in the pipe (which nobody reads any more) stops waiting and takes over.
                _input.Writer.CancelPendingFlush();
                EnsureStarted();
                return await takeover.Completion.Task;
            }

            // The sender closed before the hand-over: the rest of what it sent is in the pipe.
            return await ReadToEndAsync(takeover, rest, ended);
        }
        finally
        {
            if (!handed)
            {
                takeover.Watch.Dispose();
            }
        }
    }

    /// <summary>Hands every whole packet of <paramref name="bytes"/> to the sink; returns the incomplete rest.</summary>
    private static byte[] Parse(Takeover takeover, ReadOnlyMemory<byte> bytes)
    {
        var unparsed = new ReadOnlySequence<byte>(bytes);
        while (MirrorPacketReader.TryRead(ref unparsed, takeover.MaxPayload, out var header, out var payload))
        {
            takeover.Sink.Process(header, payload);
        }

        takeover.Watch.ThrowIfEnded();
        return unparsed.ToArray();
    }

    private async Task<long> ReadToEndAsync(Takeover takeover, byte[] rest, bool ended)
    {
        while (!ended)
        {
            var result = await _input.Reader.ReadAsync(takeover.CancellationToken);
            var bytes = new ArrayBufferWriter<byte>(rest.Length + (int)Math.Min(result.Buffer.Length, int.MaxValue - rest.Length));
            bytes.Write(rest);
            foreach (var segment in result.Buffer)
            {
                bytes.Write(segment.Span);
            }

            ended = result.IsCompleted;
            _input.Reader.AdvanceTo(result.Buffer.End);
            rest = Parse(takeover, bytes.WrittenMemory);
        }

        return rest.Length;
    }

    /// <summary>Shuts the socket both ways, which wakes the reading thread, and signals <see cref="ConnectionClosed"/>.</summary>
    private void Close()
    {
        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
        }

        try
        {
            _closed.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private void EnsureStarted()
    {
        if (Volatile.Read(ref _thread) is not null)
        {
            return;
        }

        lock (_gate)
        {
            if (_thread is not null || _disposed != 0)
            {
                return;
            }

            var thread = new Thread(static state => ((MirrorSocketConnection)state!).Run(), maxStackSize: 256 * 1024)
            {
                IsBackground = true,
                Name = "Mirror reader",
            };
            thread.Start(this);
            Volatile.Write(ref _thread, thread);
        }
    }

    private void Run()
    {
        var writer = _input.Writer;
        Exception? error = null;
        var ended = false;
        try
        {
            while (Volatile.Read(ref _takeover) is null)
            {
                // A quiet connection holds no block: wait for bytes (or the end) before taking one. The wait is cut into
                // short slices because a hand-over may come while it waits, with bytes this thread put in the pipe after
                // the handler last looked: those are the new reader's first bytes, and no more may be on their way.
                if (!_socket.Poll(HandOverCheck, SelectMode.SelectRead))
                {
                    continue;
                }

                if (Volatile.Read(ref _takeover) is not null)
                {
                    break;
                }

                var memory = writer.GetMemory(MinimumRead);
                var read = _socket.Receive(memory.Span);
                if (read == 0)
                {
                    ended = true;
                    break;
                }

                writer.Advance(read);
                var flush = writer.FlushAsync();
                var result = flush.IsCompleted ? flush.Result : flush.AsTask().GetAwaiter().GetResult();
                if (result.IsCompleted)
                {
                    // The handler is done with the input: nothing more to read for it.
                    ended = true;
                    break;
                }
            }
        }
        catch (SocketException ex)
        {
            ended = true;
            error = new ConnectionResetException(ex.Message, ex);
        }
        catch (ObjectDisposedException)
        {
            ended = true;
        }

        Takeover? takeover;
        lock (_gate)
        {
            takeover = _takeover;
            // Without a hand-over now, none comes: the handler reads the rest from the pipe.
            _pipeEnded = takeover is null;
        }

        if (takeover is null)
        {
            writer.Complete(error);
            return;
        }

        try
        {
            takeover.Completion.TrySetResult(ReadPackets(takeover, ended, error));
        }
        catch (OperationCanceledException)
        {
            takeover.Completion.TrySetCanceled(takeover.CancellationToken);
        }
        catch (Exception ex)
        {
            takeover.Completion.TrySetException(ex);
        }
        finally
        {
            takeover.Watch.Dispose();
            writer.Complete();
        }
    }

    /// <summary>The packets on this thread: what the handler and the pipe still hold, then straight from the socket.</summary>
    private long ReadPackets(Takeover takeover, bool ended, Exception? error)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(InitialPacketBuffer, takeover.Held.Length + MinimumRead));
        var start = 0;
        var end = 0;
        var watch = takeover.Watch;
        try
        {
            Append(takeover.Held);
            if (_input.Reader.TryRead(out var pending))
            {
                foreach (var segment in pending.Buffer)
                {
                    Append(segment.Span);
                }

                ended |= pending.IsCompleted;
                _input.Reader.AdvanceTo(pending.Buffer.End);
                watch.Heard();
            }

            if (ended && error is not null && end == 0)
            {
                throw error;
            }

            while (true)
            {
                var unparsed = new ReadOnlySequence<byte>(buffer, start, end - start);
                while (MirrorPacketReader.TryRead(ref unparsed, takeover.MaxPayload, out var header, out var payload))
                {
                    takeover.Sink.Process(header, payload);
                }

                start = end - (int)unparsed.Length;
                watch.ThrowIfEnded();
                if (ended)
                {
                    return end - start;
                }

                MakeRoom(ref buffer, ref start, ref end, takeover.MaxPayload);
                int read;
                try
                {
                    read = _socket.Receive(buffer, end, buffer.Length - end, SocketFlags.None);
                }
                catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
                {
                    watch.ThrowIfEnded();
                    throw new ConnectionResetException(ex.Message, ex);
                }

                if (read == 0)
                {
                    ended = true;
                    continue;
                }

                end += read;
                watch.Heard();
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        void Append(ReadOnlySpan<byte> bytes)
        {
            if (buffer.Length - end < bytes.Length)
            {
                Grow(ref buffer, start, ref end, end + bytes.Length);
            }

            bytes.CopyTo(buffer.AsSpan(end));
            end += bytes.Length;
        }
    }

    /// <summary>
    /// Before a read: room for at least <see cref="MinimumRead"/> bytes and for the whole of the packet that has begun,
    /// moving that packet's bytes to the front, or into a larger buffer when it does not fit.
    /// </summary>
    private static void MakeRoom(ref byte[] buffer, ref int start, ref int end, int maxPayload)
    {
        if (start == end)
        {
            start = end = 0;
            return;
        }

        var held = end - start;
        var needed = MirrorPacketHeader.Size;
        if (held >= MirrorPacketHeader.Size)
        {
            // The header was read and checked against the cap by the parser already.
            MirrorPacketHeader.TryParse(buffer.AsSpan(start, MirrorPacketHeader.Size), out var header);
            needed = MirrorPacketHeader.Size + (int)Math.Min(header.PayloadSize, (uint)maxPayload);
        }

        if (needed > buffer.Length)
        {
            Grow(ref buffer, start, ref end, Math.Max(needed, held + MinimumRead));
            start = 0;
            return;
        }

        if (buffer.Length - start < needed || buffer.Length - end < MinimumRead)
        {
            Buffer.BlockCopy(buffer, start, buffer, 0, held);
            start = 0;
            end = held;
        }
    }

    private static void Grow(ref byte[] buffer, int start, ref int end, int size)
    {
        var larger = ArrayPool<byte>.Shared.Rent(size);
        Buffer.BlockCopy(buffer, start, larger, 0, end - start);
        ArrayPool<byte>.Shared.Return(buffer);
        end -= start;
        buffer = larger;
    }

    /// <summary>Wakes the blocked read: the packets are no longer wanted, or nothing arrived in time.</summary>
    private void ShutdownReceive()
    {
        try
        {
            _socket.Shutdown(SocketShutdown.Receive);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
        }
    }

    [LoggerMessage(EventId = 28, Level = LogLevel.Debug, Message = "Mirror connection {ConnectionId} aborted: {Reason}")]
    private static partial void LogAborted(ILogger logger, string connectionId, string reason);

    /// <summary>A handler's request to read the packets on the connection's thread.</summary>
    private sealed class Takeover(IMirrorPacketSink sink, int maxPayload, TimeSpan idleTimeout, TimeProvider time, CancellationToken cancellationToken)
    {
        /// <summary>The start of the packet the handler's side left incomplete.</summary>
        public byte[] Held { get; set; } = [];

        public Watchdog Watch { get; set; } = null!;

        public IMirrorPacketSink Sink { get; } = sink;

        public int MaxPayload { get; } = maxPayload;

        public TimeSpan IdleTimeout { get; } = idleTimeout;

        public TimeProvider Time { get; } = time;

        public CancellationToken CancellationToken { get; } = cancellationToken;

        public TaskCompletionSource<long> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>
    /// The idle deadline and the stop of a takeover. Each read notes the time (one timestamp, no timer change); the
    /// timer, when it fires, either finds the stream silent for the whole idle time or re-arms for what is left.
    /// </summary>
    private sealed class Watchdog : IDisposable
    {
        private readonly MirrorSocketConnection _connection;
        private readonly Takeover _takeover;
        private readonly ITimer? _timer;
        private readonly CancellationTokenRegistration _stop;
        private long _heard;
        private volatile bool _silent;
        private volatile bool _stopped;

        public Watchdog(MirrorSocketConnection connection, Takeover takeover)
        {
            _connection = connection;
            _takeover = takeover;
            _heard = takeover.Time.GetTimestamp();
            if (takeover.IdleTimeout > TimeSpan.Zero && takeover.IdleTimeout != Timeout.InfiniteTimeSpan)
            {
                _timer = takeover.Time.CreateTimer(static s => ((Watchdog)s!).Check(), this, takeover.IdleTimeout, Timeout.InfiniteTimeSpan);
            }

            _stop = takeover.CancellationToken.UnsafeRegister(static s =>
            {
                var watch = (Watchdog)s!;
                watch._stopped = true;
                watch._connection.ShutdownReceive();
            }, this);
        }

        public void Heard() => Volatile.Write(ref _heard, _takeover.Time.GetTimestamp());

        /// <summary>Throws when the takeover was stopped or the stream went silent; reads after either are not used.</summary>
        public void ThrowIfEnded()
        {
            if (_stopped)
            {
                throw new OperationCanceledException(_takeover.CancellationToken);
            }

            if (_silent)
            {
                throw new MirrorProtocolException(MirrorProtocolError.Silent,
                    string.Create(CultureInfo.InvariantCulture, $"nothing received for {_takeover.IdleTimeout.TotalSeconds:0.#} s"));
            }
        }

        public void Dispose()
        {
            _stop.Dispose();
            _timer?.Dispose();
        }

        private void Check()
        {
            var silence = _takeover.Time.GetElapsedTime(Volatile.Read(ref _heard));
            if (silence < _takeover.IdleTimeout)
            {
                _timer!.Change(_takeover.IdleTimeout - silence, Timeout.InfiniteTimeSpan);
                return;
            }

            _silent = true;
            _connection.ShutdownReceive();
        }
    }

    /// <summary>The input pipe's reader, which starts the reading thread on the first read.</summary>
    private sealed class StartingReader(MirrorSocketConnection connection, PipeReader inner) : PipeReader
    {
        public override void AdvanceTo(SequencePosition consumed) => inner.AdvanceTo(consumed);

        public override void AdvanceTo(SequencePosition consumed, SequencePosition examined) => inner.AdvanceTo(consumed, examined);

        public override void CancelPendingRead() => inner.CancelPendingRead();

        public override void Complete(Exception? exception = null) => inner.Complete(exception);

        public override ValueTask CompleteAsync(Exception? exception = null) => inner.CompleteAsync(exception);

        public override ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default)
        {
            connection.EnsureStarted();
            return inner.ReadAsync(cancellationToken);
        }

        public override bool TryRead(out ReadResult result)
        {
            connection.EnsureStarted();
            return inner.TryRead(out result);
        }
    }

    private sealed class DuplexPipe(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;

        public PipeWriter Output { get; } = output;
    }

    /// <summary>Blocking sends on the connection's socket (with <see cref="SendTimeout"/>), for its output pipe.</summary>
    private sealed class SocketSendStream(Socket socket) : Stream
    {
        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            while (!buffer.IsEmpty)
            {
                buffer = buffer[socket.Send(buffer)..];
            }
        }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                Write(buffer.Span);
                return default;
            }
            catch (SocketException ex)
            {
                return ValueTask.FromException(new ConnectionResetException(ex.Message, ex));
            }
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Flush()
        {
        }

        public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
