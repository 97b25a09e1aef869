namespace Receiver.Core.Media;

/// <summary>
/// Places the frames of one audio track on the session's media timeline: a frame's decode time (in samples) follows
/// its place on the sender clock relative to the video's mapping, and runs on frame by frame while that place stays
/// within <see cref="MediaChannel.AudioResyncThresholdSamples"/>. A gap skips forward; a place behind what was
/// published is dropped until it catches up, unless it is so far behind that the sender clock restarted. Pure: the
/// channel calls it under its lock.
/// </summary>
internal sealed class AudioTrackTimeline
{
    private long _next;
    private bool _started;

    /// <summary>Whether a frame has been placed since the last <see cref="Restart"/>.</summary>
    public bool Started => _started;

    /// <summary>The decode time (in samples) the next frame takes when it follows on.</summary>
    public long Next => _next;

    /// <summary>Starts the next frame afresh at its own place (a new format).</summary>
    public void Restart() => _started = false;

    /// <summary>Decides where a frame goes; <paramref name="decodeTime"/> is valid for <see cref="AudioPlacement.Placed"/> and <see cref="AudioPlacement.Resynced"/>.</summary>
    /// <param name="senderNs">The frame's first sample on the sender clock.</param>
    /// <param name="offsetNs">The sender-clock instant of decode time 0.</param>
    /// <param name="format">The track's format (rate, samples per frame).</param>
    /// <param name="decodeTime">The frame's decode time in samples.</param>
    public AudioPlacement Place(long senderNs, long offsetNs, AudioFormat format, out long decodeTime)
    {
        decodeTime = 0;
        var target = (long)((Int128)(senderNs - offsetNs) * format.SampleRate / 1_000_000_000);
        if (target < 0)
        {
            // Sound from before the picture the timeline starts with: there is nothing to play it against.
            return AudioPlacement.BeforeStart;
        }

        var result = AudioPlacement.Placed;
        var threshold = MediaChannel.AudioResyncThresholdSamples * (long)format.SampleRate / 44_100;
        var catchUp = MediaChannel.AudioCatchUpLimitSamples * (long)format.SampleRate / 44_100;
        if (!_started)
        {
            _started = true;
            _next = target;
        }
        else if (target > _next + threshold)
        {
            // A gap in the sound (the sender paused it, or frames were lost): skip forward.
            result = AudioPlacement.Resynced;
            _next = target;
        }
        else if (target < _next - threshold)
        {
            if (target >= _next - catchUp)
            {
                // The timeline moved back under the sound: drop frames until they reach what was published.
                return AudioPlacement.Behind;
            }

            result = AudioPlacement.Resynced;
        }

        decodeTime = _next;
        _next += format.SamplesPerFrame;
        return result;
    }
}

/// <summary>What <see cref="AudioTrackTimeline.Place"/> decided for a frame.</summary>
internal enum AudioPlacement
{
    /// <summary>Next on the track.</summary>
    Placed,

    /// <summary>Placed after the timeline was moved to follow the sender clock.</summary>
    Resynced,

    /// <summary>Dropped: before the start of the session's timeline.</summary>
    BeforeStart,

    /// <summary>Dropped: behind audio already published.</summary>
    Behind,
}
