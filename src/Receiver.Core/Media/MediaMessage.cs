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
    /// Gives back the reader's hold on what this message refers to. Every message read from a
    /// <see cref="MediaViewer"/> carries one hold; only <see cref="Fragment"/> has something to give back (its pooled
    /// buffer), for the others this does nothing. A message must not be used after its release.
    /// </summary>
    public virtual void Release()
    {
    }

    /// <summary>Takes one more hold for a new holder (a viewer's queue, the GOP cache).</summary>
    internal virtual void Hold()
    {
    }

    /// <summary>
    /// One access unit as a movie fragment (moof + mdat, with a prft in front when the channel writes one), in a
    /// buffer of a <see cref="FragmentPool"/> that all its holders share: every viewer's queue it waits in, the GOP
    /// cache, and each reader until it calls <see cref="MediaMessage.Release"/>. When the last holder releases it, the
    /// buffer (and this object) go back to the pool and are reused for a later picture, so nothing of it may be read
    /// after the release. <see cref="Data"/> must not be modified. <see cref="AccessUnit"/> is the AVCC payload inside
    /// its mdat, for WebCodecs players. A fragment that is never released is left to the garbage collector.
    /// </summary>
    public sealed record Fragment : MediaMessage
    {
        private readonly FragmentPool? _pool;
        private int _length;
        private int _holders;

        internal Fragment(byte[] buffer, FragmentPool? pool)
        {
            Buffer = buffer;
            _pool = pool;
        }

        /// <summary>The whole fragment: header and access unit.</summary>
        public ReadOnlyMemory<byte> Data => Buffer.AsMemory(0, _length);

        public bool IsKeyframe { get; private set; }

        public long SenderTimestampNs { get; private set; }

        public long PresentationTime90k { get; private set; }

        public long DecodeTime90k { get; private set; }

        public uint SequenceNumber { get; private set; }

        /// <summary>Where the access unit starts in <see cref="Data"/>: the length of the fragment's header.</summary>
        public int PayloadOffset { get; private set; }

        public long ReceivedAtTicks { get; private set; }

        /// <summary>Holds on this fragment now (0 once it went back to its pool).</summary>
        public int Holders => Volatile.Read(ref _holders);

        public override int Length => _length;

        /// <summary>The length-prefixed NAL units of the picture (a slice of <see cref="Data"/>).</summary>
        public ReadOnlyMemory<byte> AccessUnit => Data[PayloadOffset..];

        internal byte[] Buffer { get; }

        /// <summary>Where the publisher writes the access unit before it publishes the fragment.</summary>
        internal Span<byte> WritablePayload => Buffer.AsSpan(PayloadOffset, _length - PayloadOffset);

        /// <summary>The fragment's header, written by the muxer in front of the payload.</summary>
        internal Span<byte> WritableHeader => Buffer.AsSpan(0, PayloadOffset);

        /// <inheritdoc />
        public override void Release()
        {
            var left = Interlocked.Decrement(ref _holders);
            if (left == 0)
            {
                _pool?.Return(this);
            }
            else if (left < 0)
            {
                throw new InvalidOperationException("A fragment was released more often than it was held.");
            }
        }

        internal override void Hold()
        {
            if (Interlocked.Increment(ref _holders) <= 1)
            {
                throw new InvalidOperationException("A fragment was held after its last release.");
            }
        }

        /// <summary>Makes a free fragment ready for a picture of <paramref name="payloadLength"/> bytes, held by the renter.</summary>
        internal void Prepare(int headerLength, int payloadLength)
        {
            PayloadOffset = headerLength;
            _length = headerLength + payloadLength;
            Volatile.Write(ref _holders, 1);
        }

        /// <summary>Sets what the muxer decided for this picture, before anyone else sees the fragment.</summary>
        internal void Describe(bool isKeyframe, long senderTimestampNs, long presentationTime90k, long decodeTime90k, uint sequenceNumber, long receivedAtTicks)
        {
            IsKeyframe = isKeyframe;
            SenderTimestampNs = senderTimestampNs;
            PresentationTime90k = presentationTime90k;
            DecodeTime90k = decodeTime90k;
            SequenceNumber = sequenceNumber;
            ReceivedAtTicks = receivedAtTicks;
        }
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
