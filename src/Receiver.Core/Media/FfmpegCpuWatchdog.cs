using Microsoft.Extensions.Logging;

namespace Receiver.Core.Media;

/// <summary>
/// Watches long-running ffmpeg processes (the audio transcoders) for CPU use: each is sampled every fifth of
/// <see cref="Window"/> on the injected <see cref="TimeProvider"/>, and one that used more than
/// <see cref="MaxPercentOfCore"/> % of one core averaged over the last <see cref="Window"/> is killed, logged and counted
/// (<see cref="Killed"/>). A transcoder fed by a real sender uses a few percent of a core; one that spins on crafted
/// input is stopped, and its session goes on without sound.
/// </summary>
public sealed partial class FfmpegCpuWatchdog
{
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private long _killed;

    public FfmpegCpuWatchdog(double maxPercentOfCore, TimeSpan window, TimeProvider time, ILogger logger)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(maxPercentOfCore, 0);
        ArgumentOutOfRangeException.ThrowIfLessThan(window, TimeSpan.FromMilliseconds(100));
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        MaxPercentOfCore = maxPercentOfCore;
        Window = window;
        _time = time;
        _logger = logger;
    }

    public double MaxPercentOfCore { get; }

    public TimeSpan Window { get; }

    /// <summary>Processes killed for their CPU use since the start.</summary>
    public long Killed => Interlocked.Read(ref _killed);

    /// <summary>Watches <paramref name="process"/> until the returned handle is disposed or the process exits.</summary>
    public IDisposable Watch(FfmpegProcess process, string label)
    {
        ArgumentNullException.ThrowIfNull(process);
        return Watch(label, () => process.TotalProcessorTime, process.Kill);
    }

    /// <summary>
    /// Watches a process through <paramref name="cpuTime"/> (its CPU time so far, null once it has exited) and ends
    /// it with <paramref name="kill"/> when it uses too much.
    /// </summary>
    public IDisposable Watch(string label, Func<TimeSpan?> cpuTime, Action kill)
    {
        ArgumentNullException.ThrowIfNull(cpuTime);
        ArgumentNullException.ThrowIfNull(kill);
        return new WatchedProcess(this, label, cpuTime, kill);
    }

    private void OnOverused(string label, double percent, Action kill)
    {
        Interlocked.Increment(ref _killed);
        kill();
        LogKilled(_logger, label, percent, MaxPercentOfCore, Window.TotalSeconds);
    }

    [LoggerMessage(EventId = 160, Level = LogLevel.Warning, Message = "ffmpeg ({Label}) killed: it used {Percent:F0} % of a core over {Seconds:0.#} s, more than its {Max:0.#} %")]
    private static partial void LogKilled(ILogger logger, string label, double percent, double max, double seconds);

    /// <summary>One watched process: its samples of the last window and the timer that takes them.</summary>
    private sealed class WatchedProcess : IDisposable
    {
        private readonly FfmpegCpuWatchdog _owner;
        private readonly string _label;
        private readonly Func<TimeSpan?> _cpuTime;
        private readonly Action _kill;
        private readonly Queue<(long Timestamp, TimeSpan Cpu)> _samples = new();
        private readonly Lock _gate = new();
        private readonly ITimer _timer;
        private bool _done;

        public WatchedProcess(FfmpegCpuWatchdog owner, string label, Func<TimeSpan?> cpuTime, Action kill)
        {
            _owner = owner;
            _label = label;
            _cpuTime = cpuTime;
            _kill = kill;
            if (cpuTime() is { } start)
            {
                _samples.Enqueue((owner._time.GetTimestamp(), start));
            }

            var period = owner.Window / 5;
            _timer = owner._time.CreateTimer(static state => ((WatchedProcess)state!).Sample(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            _timer.Change(period, period);
        }

        private void Sample()
        {
            double percent;
            lock (_gate)
            {
                if (_done)
                {
                    return;
                }

                var now = _owner._time.GetTimestamp();
                if (_cpuTime() is not { } cpu)
                {
                    // It has exited: nothing left to watch.
                    Stop();
                    return;
                }

                _samples.Enqueue((now, cpu));
                // The newest sample at least a window old is the baseline; older ones are no longer needed.
                while (_samples.Count > 1 && _owner._time.GetElapsedTime(_samples.ElementAt(1).Timestamp, now) >= _owner.Window)
                {
                    _samples.Dequeue();
                }

                var (baseTime, baseCpu) = _samples.Peek();
                var elapsed = _owner._time.GetElapsedTime(baseTime, now);
                if (elapsed < _owner.Window)
                {
                    return;
                }

                percent = (cpu - baseCpu) / elapsed * 100;
                if (percent <= _owner.MaxPercentOfCore)
                {
                    return;
                }

                Stop();
            }

            _owner.OnOverused(_label, percent, _kill);
        }

        private void Stop()
        {
            _done = true;
            _samples.Clear();
            _timer.Dispose();
        }

        public void Dispose()
        {
            lock (_gate)
            {
                if (!_done)
                {
                    Stop();
                }
            }
        }
    }
}
