using System.Diagnostics;
using System.Globalization;

namespace Receiver.Web.Tests.Infrastructure;

/// <summary>
/// Notes when this test process stops running for a while, for the output of real-time tests: a thread of its own
/// that wakes every 5 ms sees the whole process stop (a GC suspension, no CPU for the process); a loop on the thread
/// pool also sees the pool starve. With the GC's own pause total over the same time, a stall in a browser test can
/// be told apart from one in the receiver's code.
/// </summary>
public sealed class StallWatch : IAsyncDisposable
{
    private const double ReportMs = 50;

    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly TimeSpan _pausesBefore = GC.GetTotalPauseDuration();
    private readonly int _gen2Before = GC.CollectionCount(2);
    private readonly List<(double At, double Ms)> _process = [];
    private readonly List<(double At, double Ms)> _pool = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Thread _thread;
    private readonly Task _poolLoop;

    public StallWatch()
    {
        _thread = new Thread(WatchProcess) { IsBackground = true, Name = "Stall watch" };
        _thread.Start();
        _poolLoop = Task.Run(WatchPoolAsync);
    }

    /// <summary>Milliseconds since the watch started, for lining its figures up with others.</summary>
    public double ElapsedMs => _clock.Elapsed.TotalMilliseconds;

    /// <summary>The stalls of 50 ms or more seen so far, and the GC's pauses since the start.</summary>
    public string Report()
    {
        static string List(List<(double At, double Ms)> stalls)
        {
            lock (stalls)
            {
                return stalls.Count == 0
                    ? "none"
                    : string.Join(", ", stalls.Select(s => string.Create(CultureInfo.InvariantCulture, $"{s.Ms:F0} ms at {s.At:F0}")));
            }
        }

        return string.Create(CultureInfo.InvariantCulture,
            $"test process stalls ≥ {ReportMs} ms (ms since the watch started): whole process {List(_process)}; thread pool {List(_pool)}; " +
            $"GC pauses {(GC.GetTotalPauseDuration() - _pausesBefore).TotalMilliseconds:F0} ms, gen2 collections {GC.CollectionCount(2) - _gen2Before}");
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _thread.Join();
        await _poolLoop;
        _stop.Dispose();
    }

    private void WatchProcess()
    {
        var last = _clock.Elapsed.TotalMilliseconds;
        while (!_stop.IsCancellationRequested)
        {
            Thread.Sleep(5);
            last = Note(_process, last);
        }
    }

    private async Task WatchPoolAsync()
    {
        var last = _clock.Elapsed.TotalMilliseconds;
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(5, _stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            last = Note(_pool, last);
        }
    }

    private double Note(List<(double At, double Ms)> stalls, double last)
    {
        var now = _clock.Elapsed.TotalMilliseconds;
        if (now - last >= ReportMs)
        {
            lock (stalls)
            {
                stalls.Add((last, now - last));
            }
        }

        return now;
    }
}
