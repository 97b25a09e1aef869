namespace Receiver.Web.WebRtc;

/// <summary>
/// Where the sound of each Opus packet from the encoder begins, as a 48 kHz sample position counted from the encoder's
/// first input sample (what <see cref="OpusTimeline"/> maps to media time). The encoder's own RTP timestamps give the
/// packets' order and spacing, even across a lost packet, but they are taken from the input's Matroska timestamps,
/// which are whole milliseconds, so they stray by up to 48 samples from the true count; every packet holds exactly
/// <see cref="FrameSamples"/> samples, so each is put on the nearest whole frame after the first. A decoder plays a
/// packet's samples <see cref="LookaheadSamples"/> after the input samples they stand for (the encoder's lookahead:
/// its first packet begins with that much before its first input sample, and WebRTC decodes it all, with no
/// pre-skip), so the position of a packet's first sample is its frame start less the lookahead. Positions grow
/// without wrapping where the 32-bit timestamps do. Not thread-safe (the relay loop owns it).
/// </summary>
public sealed class OpusPacketClock
{
    /// <summary>Samples per packet: 20 ms frames at 48 kHz (the encoder's <c>-frame_duration 20</c>).</summary>
    public const int FrameSamples = 960;

    /// <summary>
    /// libopus's lookahead in its restricted low-delay mode (<c>-application lowdelay</c>): OPUS_GET_LOOKAHEAD is
    /// Fs/400, 2.5 ms, 120 samples at 48 kHz (6.5 ms in the other modes, which add 4 ms of delay compensation).
    /// </summary>
    public const int LookaheadSamples = 120;

    private uint? _last;
    private long _frames;

    /// <summary>
    /// The position (48 kHz samples from the first input sample; negative for the encoder's lookahead before it) of
    /// the first sample the packet stamped <paramref name="encoderTimestamp"/> holds.
    /// </summary>
    public long PositionOf(uint encoderTimestamp)
    {
        if (_last is { } last)
        {
            var step = unchecked((int)(encoderTimestamp - last));
            _frames += (long)Math.Round(step / (double)FrameSamples, MidpointRounding.AwayFromZero);
        }

        _last = encoderTimestamp;
        return (_frames * FrameSamples) - LookaheadSamples;
    }
}
