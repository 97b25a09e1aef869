using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Receiver.LoadBench;

/// <summary>
/// Reads many <see cref="RawWebSocketViewer"/>s on one thread: <c>poll(2)</c> over their sockets, then each readable
/// one read into the loop's one buffer, so a message costs one kernel copy into memory that stays in the cache and no
/// hand-off between threads. A stalled viewer is left out of the poll until its pause ends. Viewers are spread over
/// <c>--viewer-threads</c> loops (by default one per core). A loop reads in rounds at most every
/// <c>--read-interval</c> milliseconds, so that each round finds many sockets with data and a thread wakes up once
/// for all of them rather than once per message; what arrives in between waits in the keeping-up viewers' large socket
/// buffers (<see cref="RawWebSocketViewer"/>), so the receiver's sends do not wait for it and what the run measures
/// (from a picture being complete to its send starting) does not change.
/// </summary>
public static class RawViewerLoop
{
    private const short PollIn = 0x001;
    private const int BufferLength = 256 * 1024;
    private const int PollTimeoutMs = 50;
    private const int Interrupted = 4; // EINTR

    /// <summary>Runs the viewers on <paramref name="threads"/> loops until <paramref name="cancellationToken"/> or every viewer closed.</summary>
    /// <param name="niceness">
    /// The loops' threads' nice value (Linux schedules threads by it; 0: as the driver's other threads). Below 0, on a
    /// machine busy with other work, the viewers get the little CPU they need, as clients on machines of their own
    /// would, instead of a share that falls with the number of other runnable threads; it needs root (or
    /// CAP_SYS_NICE), and without it the loops run at 0 and say so.
    /// </param>
    public static Task RunAsync(IReadOnlyList<RawWebSocketViewer> viewers, int threads, CancellationToken cancellationToken, TimeSpan readInterval = default, int niceness = 0)
    {
        var loops = new List<Task>();
        for (var t = 0; t < Math.Min(threads, viewers.Count); t++)
        {
            var group = viewers.Where((_, i) => i % threads == t).ToArray();
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var thread = new Thread(() =>
            {
                try
                {
                    if (niceness != 0 && SetPriority(ProcessPriority, 0, niceness) != 0)
                    {
                        Console.Error.WriteLine($"viewer loop stays at nice 0: setpriority failed with errno {Marshal.GetLastPInvokeError()}");
                    }

                    Run(group, readInterval, cancellationToken);
                    done.TrySetResult();
                }
                catch (Exception ex)
                {
                    done.TrySetException(ex);
                }
            })
            {
                IsBackground = true,
                Name = $"viewers {t + 1}/{threads}",
            };
            thread.Start();
            loops.Add(done.Task);
        }

        return Task.WhenAll(loops);
    }

    private static void Run(RawWebSocketViewer[] group, TimeSpan readInterval, CancellationToken cancellationToken)
    {
        var buffer = GC.AllocateUninitializedArray<byte>(BufferLength, pinned: true);
        var fds = new PollFd[group.Length];
        var polled = new RawWebSocketViewer[group.Length];
        var roundStart = 0L;
        foreach (var viewer in group)
        {
            viewer.TakeReadAhead();
        }

        while (!cancellationToken.IsCancellationRequested)
        {
            var now = Stopwatch.GetTimestamp();
            var untilNextRound = readInterval - Stopwatch.GetElapsedTime(roundStart, now);
            if (untilNextRound > TimeSpan.Zero)
            {
                Thread.Sleep(untilNextRound);
                now = Stopwatch.GetTimestamp();
            }

            roundStart = now;
            var count = 0;
            var open = 0;
            foreach (var viewer in group)
            {
                if (!viewer.IsOpen)
                {
                    continue;
                }

                open++;
                if (viewer.ResumeAt <= now)
                {
                    fds[count] = new PollFd { Fd = (int)viewer.Socket.Handle, Events = PollIn };
                    polled[count++] = viewer;
                }
            }

            if (open == 0)
            {
                return;
            }

            if (count == 0)
            {
                Thread.Sleep(PollTimeoutMs);
                continue;
            }

            var ready = Poll(fds, (nuint)count, PollTimeoutMs);
            if (ready < 0)
            {
                var errno = Marshal.GetLastPInvokeError();
                if (errno == Interrupted)
                {
                    continue;
                }

                throw new IOException($"poll failed with errno {errno}");
            }

            for (var i = 0; i < count && ready > 0; i++)
            {
                if (fds[i].REvents != 0)
                {
                    ready--;
                    polled[i].ReadAvailable(buffer);
                }
            }
        }
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct PollFd
    {
        public int Fd;
        public short Events;
        public short REvents;
    }

    /// <summary>PRIO_PROCESS with who = 0: on Linux, the calling thread alone.</summary>
    private const int ProcessPriority = 0;

    [DllImport("libc", EntryPoint = "setpriority", SetLastError = true)]
    private static extern int SetPriority(int which, int who, int priority);

    [DllImport("libc", EntryPoint = "poll", SetLastError = true)]
    private static extern int Poll([In, Out] PollFd[] fds, nuint count, int timeoutMs);
}
