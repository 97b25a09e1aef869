using System.Threading.Channels;

namespace Receiver.Core.Media;

/// <summary>
/// One subscriber of a <see cref="MediaChannel"/>: a bounded queue of <see cref="MediaMessage"/>s. When the
/// queue is full the viewer is skipped forward: what is queued is dropped and delivery resumes at the next
/// keyframe (preceded by the format if a format message was dropped). Disposing unsubscribes.
/// </summary>
public sealed class MediaViewer : IDisposable
{
    private readonly MediaChannel _owner;
    private readonly Channel<MediaMessage> _queue = Channel.CreateUnbounded<MediaMessage>(
        new UnboundedChannelOptions { SingleWriter = true, SingleReader = false, AllowSynchronousContinuations = false });

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

    /// <summary>The messages for this viewer; completes after <see cref="MediaMessage.Ended"/> or disposal.</summary>
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
            _queue.Writer.TryComplete();
        }
    }

    internal bool Fits(MediaMessage message, MediaChannelOptions options) =>
        QueuedMessages < options.MaxQueuedMessages && QueuedBytes + message.Length <= options.MaxQueuedBytes;

    /// <summary>Queues a message regardless of the budget (control messages, a resumption point).</summary>
    internal void Enqueue(MediaMessage message)
    {
        Interlocked.Increment(ref _queuedMessages);
        Interlocked.Add(ref _queuedBytes, message.Length);
        if (message is MediaMessage.Fragment)
        {
            Interlocked.Increment(ref _deliveredFragments);
        }

        if (!_queue.Writer.TryWrite(message))
        {
            Forget(message);
        }
    }

    /// <summary>Drops everything queued; returns the number of fragments dropped and whether a format was among them.</summary>
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
        }

        Skips++;
        return (fragments, format);
    }

    internal void CountDropped(long count) => Interlocked.Add(ref _droppedFragments, count);

    internal void Complete() => _queue.Writer.TryComplete();

    private void Forget(MediaMessage message)
    {
        Interlocked.Decrement(ref _queuedMessages);
        Interlocked.Add(ref _queuedBytes, -message.Length);
    }

    /// <summary>Reads the queue and releases each message's share of the budget.</summary>
    private sealed class QueueReader(MediaViewer viewer) : ChannelReader<MediaMessage>
    {
        public override Task Completion => viewer._queue.Reader.Completion;

        public override bool CanCount => true;

        public override int Count => viewer._queue.Reader.Count;

        public override bool CanPeek => true;

        public override bool TryPeek(out MediaMessage item) => viewer._queue.Reader.TryPeek(out item!);

        public override bool TryRead(out MediaMessage item)
        {
            if (viewer._queue.Reader.TryRead(out item!))
            {
                viewer.Forget(item);
                return true;
            }

            return false;
        }

        public override ValueTask<bool> WaitToReadAsync(CancellationToken cancellationToken = default) =>
            viewer._queue.Reader.WaitToReadAsync(cancellationToken);
    }
}
