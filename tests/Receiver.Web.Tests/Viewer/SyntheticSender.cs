using System.Diagnostics;
using Receiver.Core.Media;
using Receiver.Core.Timing;
using Receiver.Web.Tests.Infrastructure;

namespace Receiver.Web.Tests.Viewer;

/// <summary>
/// Publishes an <see cref="H264Clip"/> into a session's <see cref="MediaChannel"/> in real time, looping, the way
/// the mirror stream receiver does: format first, then access units stamped by a sender whose clock is the wall clock
/// (NTP epoch), read through the session's <see cref="SenderClock"/>, with <see cref="Stopwatch.GetTimestamp"/> as the
/// completion time.
/// </summary>
public sealed class SyntheticSender : IAsyncDisposable
{
    private readonly MediaChannel _channel;
    private readonly SenderClock _clock;
    private readonly CancellationTokenSource _stop = new();
    private readonly Thread _thread;
    private H264Clip _clip;
    private H264Clip? _next;
    private long _framesSent;
    private Exception? _failure;

    public SyntheticSender(MediaChannel channel, SenderClock clock, H264Clip clip)
    {
        _channel = channel;
        _clock = clock;
        _clip = clip;
        _thread = new Thread(Run) { IsBackground = true, Name = "synthetic sender" };
    }

    public long FramesSent => Interlocked.Read(ref _framesSent);

    public H264Clip Clip => Volatile.Read(ref _clip);

    public static SyntheticSender Start(MediaChannel channel, SenderClock clock, H264Clip clip)
    {
        var sender = new SyntheticSender(channel, clock, clip);
        sender._thread.Start();
        return sender;
    }

    /// <summary>From the next frame on: publishes <paramref name="clip"/>'s format and plays it from its first IDR.</summary>
    public void SwitchTo(H264Clip clip) => Volatile.Write(ref _next, clip);

    /// <summary>Waits until <paramref name="count"/> frames were published in total.</summary>
    public async Task WaitForFramesAsync(long count, TimeSpan timeout)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (FramesSent < count)
        {
            if (Stopwatch.GetTimestamp() > deadline)
            {
                throw new TimeoutException($"only {FramesSent} of {count} frames published");
            }

            await Task.Delay(10);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await Task.Run(() => _thread.Join(TimeSpan.FromSeconds(5)));
        _stop.Dispose();
        if (_failure is not null)
        {
            throw new InvalidOperationException("The synthetic sender failed.", _failure);
        }
    }

    private void Run()
    {
        try
        {
            var clip = _clip;
            var index = 0;
            var frame = 0L;
            var presentation = 0L;
            var start = Stopwatch.GetTimestamp();
            _channel.Publish(clip.Format);
            while (!_stop.IsCancellationRequested)
            {
                if (Interlocked.Exchange(ref _next, null) is { } next)
                {
                    clip = next;
                    Volatile.Write(ref _clip, next);
                    index = 0;
                    _channel.Publish(clip.Format);
                }

                var access = clip.Frames[index];
                index = (index + 1) % clip.Frames.Count;
                _channel.Publish(new VideoAccessUnit(
                    access.Payload,
                    access.IsKeyframe,
                    presentation,
                    _clock.ToSessionTime(SenderTimeDomain.Mirror, NtpTimestamp.FromNanoseconds(NtpTimestamp.NowNanoseconds(TimeProvider.System)), _clock.LocalNow),
                    Stopwatch.GetTimestamp()));
                presentation += 90_000 / clip.FrameRate;
                frame++;
                Interlocked.Increment(ref _framesSent);
                WaitUntil(start + (long)(frame * (double)Stopwatch.Frequency / clip.FrameRate));
            }
        }
        catch (Exception ex) when (ex is InvalidOperationException or MediaFormatException or ArgumentException)
        {
            _failure = ex;
        }
    }

    private void WaitUntil(long timestamp)
    {
        while (!_stop.IsCancellationRequested)
        {
            var remaining = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), timestamp);
            if (remaining <= TimeSpan.Zero)
            {
                return;
            }

            _stop.Token.WaitHandle.WaitOne(remaining);
        }
    }
}
