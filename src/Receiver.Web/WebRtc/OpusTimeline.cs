namespace Receiver.Web.WebRtc;

/// <summary>
/// Where the Opus encoder's samples sit on the session's media timeline. The encoder counts the samples it was given
/// (48 kHz, from its first); the PCM frames it was given carry their media time, with gaps wherever the sender's sound
/// paused or frames were dropped. Each frame written is recorded here, and a sample position of the encoder's output
/// is mapped back to the media time of the frame it came from. Thread-safe (one writer, one reader).
/// </summary>
public sealed class OpusTimeline(int inputSampleRate)
{
    /// <summary>The encoder's clock rate (Opus over RTP is always 48 kHz).</summary>
    public const int ClockRate = 48_000;

    private readonly Lock _gate = new();
    private readonly Queue<(long Start, long End, long MediaUs)> _frames = new();
    private long _inputSamples;

    /// <summary>Records the next frame given to the encoder: <paramref name="samples"/> samples (per channel) starting at <paramref name="mediaTimeUs"/>.</summary>
    public void Add(long mediaTimeUs, int samples)
    {
        lock (_gate)
        {
            var start = _inputSamples * ClockRate / inputSampleRate;
            _inputSamples += samples;
            _frames.Enqueue((start, _inputSamples * ClockRate / inputSampleRate, mediaTimeUs));
        }
    }

    /// <summary>
    /// The media time (µs) of the encoder's 48 kHz sample <paramref name="position"/> (counted from its first), or
    /// null when no recorded frame holds it. Frames before the position are forgotten: positions only grow.
    /// </summary>
    public long? MediaTimeOf(long position)
    {
        lock (_gate)
        {
            while (_frames.TryPeek(out var frame))
            {
                if (position < frame.Start)
                {
                    return null;
                }

                if (position < frame.End)
                {
                    return frame.MediaUs + ((position - frame.Start) * 1_000_000 / ClockRate);
                }

                _frames.Dequeue();
            }

            return null;
        }
    }
}
