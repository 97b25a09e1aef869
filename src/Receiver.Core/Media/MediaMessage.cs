namespace Receiver.Core.Media;

/// <summary>What a viewer receives from a <see cref="MediaChannel"/>, in order.</summary>
public abstract record MediaMessage
{
    private protected MediaMessage()
    {
    }

    /// <summary>Bytes this message holds in a viewer's queue budget.</summary>
    public abstract int Length { get; }

    /// <summary>A new video format: feed <paramref name="InitSegment"/> to MSE (or configure a decoder) before the next fragment.</summary>
    public sealed record FormatChanged(VideoFormat Format, byte[] InitSegment) : MediaMessage
    {
        public override int Length => InitSegment.Length;
    }

    /// <summary>
    /// One access unit as a movie fragment. <paramref name="Data"/> is shared by all viewers and must not be
    /// modified. <see cref="AccessUnit"/> is the AVCC payload inside its mdat, for WebCodecs players.
    /// </summary>
    public sealed record Fragment(
        ReadOnlyMemory<byte> Data,
        bool IsKeyframe,
        long SenderTimestampNs,
        long PresentationTime90k,
        long DecodeTime90k,
        uint SequenceNumber,
        int PayloadOffset,
        long ReceivedAtTicks) : MediaMessage
    {
        public override int Length => Data.Length;

        /// <summary>The length-prefixed NAL units of the picture (a slice of <see cref="Data"/>).</summary>
        public ReadOnlyMemory<byte> AccessUnit => Data[PayloadOffset..];
    }

    /// <summary>The session has an audio track in this format: feed <paramref name="InitSegment"/> to the audio SourceBuffer (or configure an AudioDecoder).</summary>
    public sealed record AudioFormatChanged(AudioFormat Format, byte[] InitSegment) : MediaMessage
    {
        public override int Length => InitSegment.Length;
    }

    /// <summary>
    /// One AAC frame of the audio track as a movie fragment of track 2. <paramref name="DecodeTime"/> is in samples
    /// (the track's timescale) on the same timeline as the video fragments' decode times.
    /// </summary>
    public sealed record AudioFragment(
        ReadOnlyMemory<byte> Data,
        long SenderTimestampNs,
        long DecodeTime,
        int SampleRate,
        uint SequenceNumber,
        int PayloadOffset,
        long ReceivedAtTicks) : MediaMessage
    {
        public override int Length => Data.Length;

        /// <summary>The raw AAC frame (a slice of <see cref="Data"/>), for WebCodecs players.</summary>
        public ReadOnlyMemory<byte> Frame => Data[PayloadOffset..];

        /// <summary>The decode time in microseconds.</summary>
        public long DecodeTimeMicroseconds => DecodeTime * 1_000_000 / SampleRate;
    }

    /// <summary>
    /// One frame of the audio track as interleaved 16-bit PCM (<see cref="AudioFormat.IsPcm"/>), for players that play
    /// samples without a decoder. <paramref name="DecodeTime"/> is in samples on the same timeline as the AAC
    /// fragments' and the video's decode times. <paramref name="Data"/> is shared by all viewers and must not be modified.
    /// </summary>
    public sealed record AudioSamples(
        ReadOnlyMemory<byte> Data,
        long SenderTimestampNs,
        long DecodeTime,
        int SampleRate,
        uint SequenceNumber,
        long ReceivedAtTicks) : MediaMessage
    {
        public override int Length => Data.Length;

        /// <summary>The decode time in microseconds.</summary>
        public long DecodeTimeMicroseconds => DecodeTime * 1_000_000 / SampleRate;
    }

    /// <summary>The audio track ended (the sender tore its audio stream down); video continues.</summary>
    public sealed record AudioEnded : MediaMessage
    {
        public override int Length => 0;
    }

    /// <summary>The sender's volume in dB (−144 = mute, otherwise −30…0).</summary>
    public sealed record Volume(double Decibels) : MediaMessage
    {
        public override int Length => 0;
    }

    /// <summary>The stream ended; no message follows.</summary>
    public sealed record Ended(string Reason) : MediaMessage
    {
        public override int Length => 0;
    }
}
