namespace Receiver.Web.WebRtc;

/// <summary>
/// Where the Opus encoder's samples sit on the session's media timeline. The encoder counts the samples it was given
/// (48 kHz, from its first); the PCM frames it was given carry their media time (in samples at their own rate), with
/// gaps wherever the sender's sound paused or frames were dropped. Each frame written is recorded here, and a sample
/// position of the encoder's output is mapped back to media time at 48 kHz. Frames that follow each other without a
/// gap form one run that maps linearly, so packets of the same run are exactly their length apart on the timeline
/// (no rounding from frame to frame). Thread-safe (one writer, one reader).
/// </summary>
public sealed class OpusTimeline(int inputSampleRate)
{
    /// <summary>The encoder's clock rate (Opus over RTP is always 48 kHz).</summary>
    public const int ClockRate = 48_000;

    private readonly Lock _gate = new();
    private readonly Queue<Run> _runs = new();
    private Run? _last;
    private long _inputSamples;
    private long _nextDecodeTime = long.MinValue;

    /// <summary>
    /// Records the next frame given to the encoder: <paramref name="samples"/> samples (per channel) whose first is at
    /// <paramref name="decodeTime"/> on the media timeline, in samples at the input's rate.
    /// </summary>
    public void Add(long decodeTime, int samples)
    {
        lock (_gate)
        {
            var start = _inputSamples * ClockRate / inputSampleRate;
            _inputSamples += samples;
            var end = _inputSamples * ClockRate / inputSampleRate;
            if (_last is not null && decodeTime == _nextDecodeTime)
            {
                _last.End = end;
            }
            else
            {
                _last = new Run(start, end, decodeTime * ClockRate / inputSampleRate);
                _runs.Enqueue(_last);
            }

            _nextDecodeTime = decodeTime + samples;
        }
    }

    /// <summary>
    /// The media time (48 kHz ticks) of the encoder's sample <paramref name="position"/> (counted from its first), or
    /// null when no recorded frame holds it. A negative position is the encoder's lookahead before its first input
    /// sample (<see cref="OpusPacketClock"/>), timed back from the first frame. Frames before the position are
    /// forgotten: positions only grow.
    /// </summary>
    public long? MediaTicksOf(long position)
    {
        lock (_gate)
        {
            while (_runs.TryPeek(out var run))
            {
                if (position < run.Start)
                {
                    return run.Start == 0 ? run.Ticks + position : null;
                }

                if (position < run.End)
                {
                    return run.Ticks + (position - run.Start);
                }

                _runs.Dequeue();
                if (ReferenceEquals(run, _last))
                {
                    _last = null;
                }
            }

            return null;
        }
    }

    /// <summary>48 kHz ticks as microseconds.</summary>
    public static long ToMicroseconds(long ticks) => ticks * 1_000_000 / ClockRate;

    // Positions [Start, End) of the encoder's samples, the first at media time Ticks.
    private sealed class Run(long start, long end, long ticks)
    {
        public long Start { get; } = start;

        public long End { get; set; } = end;

        public long Ticks { get; } = ticks;
    }
}
