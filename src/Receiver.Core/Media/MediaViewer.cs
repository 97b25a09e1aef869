using System.Threading.Channels;

namespace Receiver.Core.Media;

/// <summary>
/// One subscriber of a <see cref="MediaChannel"/>: a bounded queue of <see cref="MediaMessage"/>s. When the
/// queue is full the viewer is skipped forward: what is queued is dropped and delivery resumes at the next
/// keyframe (preceded by the format if a format message was dropped). Every queued message carries one hold on
/// its buffer; a message read from <see cref="Reader"/> hands that hold to the reader, who calls
/// <see cref="MediaMessage.Release"/> when done with it. Disposing unsubscribes and releases what is still queued.
/// </summary>
public sealed class MediaViewer : IDisposable
{
    private readonly MediaChannel _owner;
    private readonly Lock _gate = new();
    private readonly Queue<MediaMessage> _queue = new();
    private readonly MediaQueueSignal _signal = new();
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _completed;

    private long _queuedBytes;
    private int _queuedMessages;
    private long _droppedFragments;
    private long _deliveredFragments;
    private int _disposed;

    internal MediaViewer(MediaChannel owner, long id, AudioDelivery audio = AudioDelivery.Aac)
    {
        _owner = owner;
        Id = id;
        Audio = audio;
        Reader = new QueueReader(this);
    }

    /// <summary>Identifies the viewer within its channel.</summary>
    public long Id { get; }

    /// <summary>
    /// Fragments of the current GOP queued when the viewer joined, before any live one: older pictures it needs to
    /// decode the live ones, not to show.
    /// </summary>
    public int BacklogFragments { get; internal set; }

    /// <summary>Which form of the sound this viewer receives.</summary>
    public AudioDelivery Audio { get; }

    /// <summary>
    /// The messages for this viewer; completes after <see cref="MediaMessage.Ended"/> or disposal. One reader at a
    /// time; waiting for the next message allocates nothing.
    /// </summary>
    public ChannelReader<MediaMessage> Reader { get; }

    /// <summary>Fragments this viewer did not receive because it fell behind or joined mid-GOP.</summary>
    public long DroppedFragments => Interlocked.Read(ref _droppedFragments);

    /// <summary>Fragments queued for this viewer.</summary>
    public long DeliveredFragments => Interlocked.Read(ref _deliveredFragments);

    /// <summary>Times the viewer's queue overflowed and was skipped to the next keyframe.</summary>
    public long Skips { get; private set; }

    public int QueuedMessages => Volatile.Read(ref _queuedMessages);

    public long QueuedBytes => Interlocked.Read(ref _queuedBytes);

    /// <summary>Publisher-side state, guarded by the channel's lock: fragments are dropped until a keyframe.</summary>
    internal bool WaitingForKeyframe { get; set; } = true;

    /// <summary>Publisher-side state: a format message was dropped and must precede the next keyframe.</summary>
    internal bool NeedsFormat { get; set; }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _owner.Unsubscribe(this);
            Complete();
            while (Reader.TryRead(out var message))
            {
                message.Release();
            }
        }
    }

    internal bool Fits(MediaMessage message, MediaChannelOptions options) =>
        QueuedMessages < options.MaxQueuedMessages && QueuedBytes + message.Length <= options.MaxQueuedBytes;

    /// <summary>Queues a message, with a hold of its own, regardless of the budget (control messages, a resumption point).</summary>
    internal void Enqueue(MediaMessage message)
    {
        lock (_gate)
        {
            if (_completed)
            {
                return;
            }

            message.Hold();
            _queue.Enqueue(message);
            Interlocked.Increment(ref _queuedMessages);
            Interlocked.Add(ref _queuedBytes, message.Length);
            if (message is MediaMessage.Fragment)
            {
                Interlocked.Increment(ref _deliveredFragments);
            }
        }

        _signal.Wake();
    }

    /// <summary>Drops (and releases) everything queued; returns the number of fragments dropped and whether a format was among them.</summary>
    internal (int Fragments, bool Format) DrainQueue()
    {
        var fragments = 0;
        var format = false;
        while (Reader.TryRead(out var message))
        {
            if (message is MediaMessage.Fragment)
            {
                fragments++;
                Interlocked.Decrement(ref _deliveredFragments);
            }
            else if (message is MediaMessage.FormatChanged)
            {
                format = true;
            }

            message.Release();
        }

        Skips++;
        return (fragments, format);
    }

    internal void CountDropped(long count) => Interlocked.Add(ref _droppedFragments, count);

    /// <summary>No message follows: the reader reads what is queued, then its wait returns false.</summary>
    internal void Complete()
    {
        bool empty;
        lock (_gate)
        {
            if (_completed)
            {
                return;
            }

            _completed = true;
            empty = _queue.Count == 0;
        }

        if (empty)
        {
            _completion.TrySetResult();
        }

        _signal.Wake();
    }

    private bool TryDequeue(out MediaMessage message)
    {
        bool ended;
        lock (_gate)
        {
            if (!_queue.TryDequeue(out message!))
            {
                return false;
            }

            Interlocked.Decrement(ref _queuedMessages);
            Interlocked.Add(ref _queuedBytes, -message.Length);
            ended = _completed && _queue.Count == 0;
        }

        if (ended)
        {
            _completion.TrySetResult();
        }

        return true;
    }

    private ValueTask<bool> WaitToReadAsync(CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<bool>(cancellationToken);
        }

        lock (_gate)
        {
            if (_queue.Count > 0)
            {
                return new ValueTask<bool>(true);
            }

            if (_completed)
            {
                return new ValueTask<bool>(false);
            }

            return _signal.Arm(cancellationToken);
        }
    }

    /// <summary>Reads the queue; each message read leaves the budget and hands its hold to the reader.</summary>
    private sealed class QueueReader(MediaViewer viewer) : ChannelReader<MediaMessage>
    {
        public override Task Completion => viewer._completion.Task;

        public override bool CanCount => true;

        public override int Count => viewer.QueuedMessages;

        public override bool CanPeek => true;

        public override bool TryPeek(out MediaMessage item)
        {
            lock (viewer._gate)
            {
                return viewer._queue.TryPeek(out item!);
            }
        }

        public override bool TryRead(out MediaMessage item) => viewer.TryDequeue(out item);

        public override ValueTask<bool> WaitToReadAsync(CancellationToken cancellationToken = default) =>
            viewer.WaitToReadAsync(cancellationToken);
    }
}
