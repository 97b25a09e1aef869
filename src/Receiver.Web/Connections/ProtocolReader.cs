using System.Buffers;
using System.IO.Pipelines;
using System.Runtime.CompilerServices;
using Receiver.Core.Protocols;

namespace Receiver.Web.Connections;

/// <summary>
/// The read loop of every TCP protocol the receiver serves: waits on the connection's <see cref="PipeReader"/>,
/// hands what arrived to an <see cref="IMessageReader{TMessage}"/> and returns one message at a time. It honours the
/// reader's <c>examined</c> position (a read that needs more bytes waits for new ones), keeps the bytes after a
/// message for the next one (pipelined requests, or a switch to another protocol on the same bytes) and enforces
/// the <see cref="ProtocolTimeouts"/> with timers from a <see cref="TimeProvider"/>. It never cancels on the peer's
/// FIN: a connection ends when its pipe completes, after its last byte. One reader per connection, used by one
/// caller at a time.
/// </summary>
public sealed class ProtocolReader : IDisposable
{
    private readonly PipeReader _input;
    private readonly TimeProvider _time;
    private readonly ITimer _timer;
    private readonly long _started;
    private ReadOnlySequence<byte> _buffer;
    private bool _holding;
    private bool _pipeCompleted;
    private bool _hasMessage;
    private bool _firstMessageRead;
    private SequencePosition _consumed;
    private long _unparsed;
    private long? _messageStarted;
    private long _idleSince;

    public ProtocolReader(PipeReader input, TimeProvider time, ProtocolTimeouts timeouts)
    {
        _input = input;
        _time = time;
        Timeouts = timeouts;
        _started = time.GetTimestamp();
        _idleSince = _started;
        _timer = time.CreateTimer(static state => ((ProtocolReader)state!)._input.CancelPendingRead(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>The deadlines for the next reads; a connection that changes protocol may change them.</summary>
    public ProtocolTimeouts Timeouts { get; set; }

    /// <summary>
    /// Returns the next message, the end of the connection, or the deadline that passed first. A message is valid
    /// until <see cref="Advance"/>, which must be called before the next read. The message reader's protocol
    /// exception propagates; <paramref name="cancellationToken"/> throws <see cref="OperationCanceledException"/>.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<ProtocolReadResult<TMessage>> ReadAsync<TMessage>(IMessageReader<TMessage> reader, CancellationToken cancellationToken = default)
    {
        if (_hasMessage)
        {
            throw new InvalidOperationException("Advance past the previous message before reading the next.");
        }

        if (_holding)
        {
            if (TryParse(reader, out var held))
            {
                return ProtocolReadResult<TMessage>.Read(held);
            }

            if (_pipeCompleted)
            {
                return ProtocolReadResult<TMessage>.Completed(_unparsed);
            }
        }

        // The idle time runs from this call or the last bytes, whichever is later; a timer that fires early (system
        // timers tick in whole milliseconds) re-arms for what is left, not for a whole idle period again.
        _idleSince = _time.GetTimestamp();
        while (true)
        {
            var (armedAt, due, kind) = ArmTimer();
            ReadResult result;
            try
            {
                result = await _input.ReadAsync(cancellationToken);
            }
            finally
            {
                _timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            }

            if (!result.IsCanceled)
            {
                _idleSince = _time.GetTimestamp();
            }

            _buffer = result.Buffer;
            _holding = true;
            _pipeCompleted = result.IsCompleted;
            if (TryParse(reader, out var message))
            {
                return ProtocolReadResult<TMessage>.Read(message);
            }

            if (result.IsCompleted)
            {
                return ProtocolReadResult<TMessage>.Completed(_unparsed);
            }

            if (result.IsCanceled && due is { } limit && _time.GetElapsedTime(armedAt) >= limit)
            {
                return ProtocolReadResult<TMessage>.Expired(kind, _unparsed);
            }
        }
    }

    /// <summary>Moves past the message the last read returned; the bytes after it stay for the next read.</summary>
    public void Advance()
    {
        if (!_hasMessage)
        {
            throw new InvalidOperationException("No message to advance past.");
        }

        _hasMessage = false;
        _buffer = _buffer.Slice(_consumed);
    }

    /// <summary>
    /// Hands over the bytes this reader holds after the last message (read from the pipe but not yet parsed) and
    /// releases them in the pipe: another reader of the same connection continues from exactly there. Nothing may be
    /// read through this reader afterwards.
    /// </summary>
    public byte[] TakeHeldBytes()
    {
        if (_hasMessage)
        {
            throw new InvalidOperationException("Advance past the previous message before handing over the bytes.");
        }

        if (!_holding)
        {
            return [];
        }

        var held = _buffer.ToArray();
        Release(_buffer.End, _buffer.End);
        return held;
    }

    public void Dispose() => _timer.Dispose();

    private bool TryParse<TMessage>(IMessageReader<TMessage> reader, out TMessage message)
    {
        var consumed = _buffer.Start;
        var examined = _buffer.Start;
        bool parsed;
        try
        {
            parsed = reader.TryParseMessage(_buffer, ref consumed, ref examined, out message!);
        }
        catch
        {
            Release(_buffer.Start, _buffer.End);
            throw;
        }

        if (parsed)
        {
            _consumed = consumed;
            _hasMessage = true;
            _firstMessageRead = true;
            _messageStarted = null;
            _unparsed = 0;
            return true;
        }

        _unparsed = _buffer.Slice(consumed).Length;
        if (_unparsed > 0)
        {
            _messageStarted ??= _time.GetTimestamp();
        }

        Release(consumed, examined);
        return false;
    }

    private void Release(SequencePosition consumed, SequencePosition examined)
    {
        _input.AdvanceTo(consumed, examined);
        _holding = false;
        _buffer = default;
    }

    /// <summary>Starts the timer for the nearest deadline; returns when it was armed, its length and which it is.</summary>
    private (long ArmedAt, TimeSpan? Due, ProtocolTimeout Kind) ArmTimer()
    {
        var now = _time.GetTimestamp();
        var timeouts = Timeouts;
        TimeSpan? due = timeouts.Idle >= TimeSpan.Zero ? timeouts.Idle - _time.GetElapsedTime(_idleSince, now) : null;
        var kind = ProtocolTimeout.Idle;
        if (timeouts.Message is { } message && _messageStarted is { } started)
        {
            Nearest(message - _time.GetElapsedTime(started, now), ProtocolTimeout.Message);
        }

        if (timeouts.FirstMessage is { } first && !_firstMessageRead)
        {
            Nearest(first - _time.GetElapsedTime(_started, now), ProtocolTimeout.FirstMessage);
        }

        if (due is { } length)
        {
            _timer.Change(length > TimeSpan.Zero ? length : TimeSpan.Zero, Timeout.InfiniteTimeSpan);
        }

        return (now, due, kind);

        void Nearest(TimeSpan left, ProtocolTimeout candidate)
        {
            if (due is null || left < due)
            {
                due = left;
                kind = candidate;
            }
        }
    }
}
