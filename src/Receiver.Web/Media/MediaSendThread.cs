namespace Receiver.Web.Media;

/// <summary>
/// The receiver's media send path runs on its own thread, not on the thread pool: every viewer's streamer loop (wait for
/// the viewer's queue, write the header, hand the message to its WebSocket) runs here, and each of its awaits comes
/// back here through <see cref="SynchronizationContext"/>. A publisher that queues a fragment wakes this thread
/// directly, so a fragment reaches its send in one wake-up, whatever the thread pool is doing (starved by blocking
/// work, busy with requests, growing after a burst). The work done here is small and never blocks (copy a header and
/// a payload into a pooled buffer, write to a pipe); waiting for a slow viewer is an await, which frees the thread for
/// the others.
/// After <see cref="Dispose"/> the work still posted, and any posted later, runs on the thread pool, so nothing waits
/// for a thread that is gone.
/// </summary>
public sealed partial class MediaSendThread : IDisposable
{
    private readonly object _gate = new();
    private readonly Queue<WorkItem> _queue = new(256);
    private readonly Thread _thread;
    private readonly Context _context;
    private readonly Action<Exception>? _onError;
    private bool _stopping;
    private long _executed;

    /// <param name="name">The thread's name (seen in debuggers and profiles).</param>
    /// <param name="onError">Told about an exception thrown by posted work (the thread carries on).</param>
    public MediaSendThread(string name = "media-send", Action<Exception>? onError = null)
    {
        _onError = onError;
        _context = new Context(this);
        _thread = new Thread(Run) { IsBackground = true, Name = name };
        _thread.Start();
    }

    /// <summary>The receiver's media send thread, logging what posted work throws.</summary>
    public static MediaSendThread Create(ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(loggerFactory);
        var logger = loggerFactory.CreateLogger<MediaSendThread>();
        return new MediaSendThread("media-send", ex => LogWorkFailed(logger, ex));
    }

    /// <summary>Work items run on the thread since it started.</summary>
    public long Executed => Interlocked.Read(ref _executed);

    /// <summary>Work items waiting to run.</summary>
    public int Pending
    {
        get
        {
            lock (_gate)
            {
                return _queue.Count;
            }
        }
    }

    /// <summary>True on the thread itself.</summary>
    public bool IsCurrentThread => Environment.CurrentManagedThreadId == _thread.ManagedThreadId;

    /// <summary>
    /// Starts <paramref name="work"/> on the thread; its awaits continue there. The returned task completes as the
    /// work's task does (its continuations do not run on the thread).
    /// </summary>
    public Task RunAsync(Func<Task> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Post(static state =>
        {
            var (work, done) = ((Func<Task>, TaskCompletionSource))state!;
            Task task;
            try
            {
                task = work();
            }
            catch (Exception ex)
            {
                task = Task.FromException(ex);
            }

            task.ContinueWith(
                static (t, s) => ((TaskCompletionSource)s!).SetFromTask(t),
                done,
                CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);
        }, (work, done));
        return done.Task;
    }

    /// <summary>Stops the thread once the work already queued has run; later work runs on the thread pool.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_stopping)
            {
                return;
            }

            _stopping = true;
            Monitor.PulseAll(_gate);
        }

        if (!IsCurrentThread)
        {
            _thread.Join(TimeSpan.FromSeconds(5));
        }
    }

    private void Post(SendOrPostCallback callback, object? state)
    {
        lock (_gate)
        {
            if (!_stopping)
            {
                _queue.Enqueue(new WorkItem(callback, state));
                if (_queue.Count == 1)
                {
                    Monitor.Pulse(_gate);
                }

                return;
            }
        }

        ThreadPool.UnsafeQueueUserWorkItem(static item => item.Callback(item.State), new WorkItem(callback, state), preferLocal: false);
    }

    private void Run()
    {
        SynchronizationContext.SetSynchronizationContext(_context);
        while (true)
        {
            WorkItem item;
            lock (_gate)
            {
                while (_queue.Count == 0)
                {
                    if (_stopping)
                    {
                        return;
                    }

                    Monitor.Wait(_gate);
                }

                item = _queue.Dequeue();
            }

            try
            {
                item.Callback(item.State);
            }
            catch (Exception ex)
            {
                _onError?.Invoke(ex);
            }

            Interlocked.Increment(ref _executed);
        }
    }

    [LoggerMessage(EventId = 65, Level = LogLevel.Error, Message = "Work on the media send thread failed")]
    private static partial void LogWorkFailed(ILogger logger, Exception exception);

    private readonly record struct WorkItem(SendOrPostCallback Callback, object? State);

    /// <summary>Sends every continuation captured on the thread back to it.</summary>
    private sealed class Context(MediaSendThread owner) : SynchronizationContext
    {
        public override void Post(SendOrPostCallback d, object? state) => owner.Post(d, state);

        public override void Send(SendOrPostCallback d, object? state)
        {
            if (owner.IsCurrentThread)
            {
                d(state);
                return;
            }

            using var done = new ManualResetEventSlim();
            Exception? error = null;
            owner.Post(_ =>
            {
                try
                {
                    d(state);
                }
                catch (Exception ex)
                {
                    error = ex;
                }
                finally
                {
                    done.Set();
                }
            }, null);
            done.Wait();
            if (error is not null)
            {
                throw new InvalidOperationException("Work sent to the media send thread failed.", error);
            }
        }

        public override SynchronizationContext CreateCopy() => this;
    }
}
