using System.Threading.Tasks.Sources;

namespace Receiver.Core.Media;

/// <summary>
/// The one wait of a <see cref="MediaViewer"/>'s reader for its next message, made without allocating: the same
/// object is the awaited value task every time. <see cref="Arm"/> starts a wait (under the viewer's lock, after it
/// found the queue empty), <see cref="Wake"/> ends it from the publisher's side; the reader then continues on the
/// thread pool, never on the publisher's thread. Cancellation of the reader's token ends the wait with
/// <see cref="OperationCanceledException"/>.
/// </summary>
internal sealed class MediaQueueSignal : IValueTaskSource<bool>, IThreadPoolWorkItem
{
    private const int Idle = 0;
    private const int Waiting = 1;
    private const int Woken = 2;
    private const int Cancelled = 3;

    private ManualResetValueTaskSourceCore<bool> _core;
    private CancellationTokenRegistration _registration;
    private CancellationToken _token;
    private int _state;

    public MediaQueueSignal()
    {
        _core.RunContinuationsAsynchronously = false;
    }

    /// <summary>Starts a wait; only one may be pending.</summary>
    public ValueTask<bool> Arm(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _state) != Idle)
        {
            throw new InvalidOperationException("A media viewer has one reader: a wait is already pending.");
        }

        // Nothing touches the core while idle; a late wake of an earlier message can only follow the next line.
        _core.Reset();
        _token = cancellationToken;
        var version = _core.Version;
        Volatile.Write(ref _state, Waiting);
        if (cancellationToken.CanBeCanceled)
        {
            _registration = cancellationToken.UnsafeRegister(static signal => ((MediaQueueSignal)signal!).Cancel(), this);
        }

        return new ValueTask<bool>(this, version);
    }

    /// <summary>Ends a pending wait (a message was queued or the queue completed); nothing when none is pending.</summary>
    public void Wake()
    {
        if (Volatile.Read(ref _state) == Waiting && Interlocked.CompareExchange(ref _state, Woken, Waiting) == Waiting)
        {
            ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
        }
    }

    bool IValueTaskSource<bool>.GetResult(short token)
    {
        try
        {
            return _core.GetResult(token);
        }
        finally
        {
            // On the reader's side, which made the registration.
            _registration.Dispose();
            _registration = default;
            Volatile.Write(ref _state, Idle);
        }
    }

    ValueTaskSourceStatus IValueTaskSource<bool>.GetStatus(short token) => _core.GetStatus(token);

    void IValueTaskSource<bool>.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _core.OnCompleted(continuation, state, token, flags);

    void IThreadPoolWorkItem.Execute()
    {
        if (Volatile.Read(ref _state) == Cancelled)
        {
            _core.SetException(new OperationCanceledException(_token));
        }
        else
        {
            _core.SetResult(true);
        }
    }

    private void Cancel()
    {
        if (Interlocked.CompareExchange(ref _state, Cancelled, Waiting) == Waiting)
        {
            ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
        }
    }
}
