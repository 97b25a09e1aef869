using System.Buffers;
using System.Buffers.Binary;

namespace Receiver.Core.Media;

/// <summary>
/// Writes fragmented MP4 (ISO/IEC 14496-12) for Media Source Extensions: an init segment per format and one
/// movie fragment (moof + mdat) per access unit, written as soon as the access unit is complete.
/// Track 1 is video (timescale 90 kHz); track id 2 is the audio track (<see cref="Fmp4AudioMuxer"/>), so mvhd.next_track_ID is 3.
/// </summary>
/// <remarks>
/// <para>Timeline. Fragments carry a decode time (tfdt) that is also the presentation time (no B-frames, so
/// the composition offset is 0). It starts at 0 and follows the sender's presentation clock. The duration of
/// a fragment cannot be known when it is sent (the next frame has not arrived), so each fragment is given the
/// interval between its own and the previous frame's presentation time, that is, the previous frame's
/// duration; the first fragment gets <see cref="DefaultFrameDuration"/> (1/60 s).</para>
/// <para>Where the sender's clock would break MSE, the timeline continues from the previous fragment's decode
/// time plus its duration instead: when the clock goes backwards or stands still (FLUSH, a new stream), and
/// when it jumps forward by more than twice the previous duration (a paused or static screen, a jump of
/// seconds). MSE treats such a gap as a discontinuity and drops every frame until the next keyframe, which the
/// sender may not send for a long time; closing the gap instead keeps the picture live. Decode times are
/// therefore strictly increasing.</para>
/// <para>Not thread-safe: one muxer per stream, used by one publisher.</para>
/// </remarks>
public sealed class Fmp4Muxer
{
    /// <summary>Track id of the video track.</summary>
    public const uint VideoTrackId = 1;

    /// <summary>Track id of the audio track (its own fMP4 stream, see <see cref="Fmp4AudioMuxer"/>).</summary>
    public const uint AudioTrackId = 2;

    /// <summary>Media timescale of the video track (ticks per second).</summary>
    public const int Timescale = VideoTimescale.Hz;

    /// <summary>Duration given to the first fragment: 1/60 s.</summary>
    public const long DefaultFrameDuration = 1500;

    /// <summary>Longest duration a fragment is given from the sender's clock: 100 ms.</summary>
    public const long MaxFrameDuration = 9000;

    /// <summary>Size of the moof box this muxer writes.</summary>
    public const int MoofLength = 104;

    /// <summary>Size of the optional prft box.</summary>
    public const int ProducerReferenceTimeLength = 32;

    private const int MdatHeaderLength = 8;
    private const uint SyncSampleFlags = 0x02000000;
    private const uint NonSyncSampleFlags = 0x01010000;

    private readonly bool _writeProducerReferenceTime;
    private bool _started;
    private long _lastPresentationTime;

    /// <param name="writeProducerReferenceTime">
    /// Precede each moof with a prft box whose ntp_timestamp is the sender timestamp (nanoseconds as 32.32 fixed
    /// point seconds) and whose media_time is the fragment's decode time, for latency measurement.
    /// </param>
    public Fmp4Muxer(bool writeProducerReferenceTime = false)
    {
        _writeProducerReferenceTime = writeProducerReferenceTime;
    }

    /// <summary>Sequence number of the last fragment written (mfhd), 0 before the first.</summary>
    public uint SequenceNumber { get; private set; }

    /// <summary>Decode time of the last fragment written, in 90 kHz ticks.</summary>
    public long LastDecodeTime { get; private set; }

    /// <summary>True once the first fragment has been written.</summary>
    public bool HasStarted => _started;

    /// <summary>
    /// Decode time of the first fragment, in 90 kHz ticks (0 unless set before it): a session whose audio started
    /// first places its video on the audio's timeline.
    /// </summary>
    public long InitialDecodeTime { get; set; }

    /// <summary>
    /// Forward jumps of the sender's clock up to this many 90 kHz ticks are followed instead of closed (0: only the
    /// usual two frame durations). Set while the session has audio: the audio track keeps playback running across a
    /// pause of the picture, and both tracks must stay on the sender's clock.
    /// </summary>
    public long FollowClockUpTo { get; set; }

    /// <summary>Duration given to the last fragment written, in 90 kHz ticks.</summary>
    public long LastDuration { get; private set; } = DefaultFrameDuration;

    /// <summary>Creates the init segment (ftyp + moov) for a format.</summary>
    public byte[] CreateInitSegment(VideoFormat format) => Fmp4InitSegment.Create(format);

    /// <summary>Total bytes <see cref="WriteFragment(in VideoAccessUnit, long, Span{byte})"/> writes for a payload.</summary>
    public int GetFragmentLength(int payloadLength) =>
        (_writeProducerReferenceTime ? ProducerReferenceTimeLength : 0) + MoofLength + MdatHeaderLength + payloadLength;

    /// <summary>Writes the fragment with a duration from the timeline rules and returns the bytes written.</summary>
    public int WriteFragment(in VideoAccessUnit au, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var length = GetFragmentLength(au.Payload.Length);
        var written = WriteFragment(au, -1, output.GetSpan(length));
        output.Advance(written);
        return written;
    }

    /// <summary>Writes the fragment with an explicit duration (90 kHz ticks) and returns the bytes written.</summary>
    public int WriteFragment(in VideoAccessUnit au, long durationTicks, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(durationTicks);
        var length = GetFragmentLength(au.Payload.Length);
        var written = WriteFragment(au, durationTicks, output.GetSpan(length));
        output.Advance(written);
        return written;
    }

    /// <summary>Writes a fragment into a new array of exactly <see cref="GetFragmentLength"/> bytes.</summary>
    public byte[] CreateFragment(in VideoAccessUnit au)
    {
        var fragment = new byte[GetFragmentLength(au.Payload.Length)];
        WriteFragment(au, -1, fragment);
        return fragment;
    }

    /// <summary>
    /// Writes prft (optional), moof and mdat into <paramref name="destination"/>. A <paramref name="durationTicks"/>
    /// of -1 takes the duration from the timeline rules.
    /// </summary>
    public int WriteFragment(in VideoAccessUnit au, long durationTicks, Span<byte> destination)
    {
        var payload = au.Payload.Span;
        var length = GetFragmentLength(payload.Length);
        if (destination.Length < length)
        {
            throw new ArgumentException($"Destination holds {destination.Length} bytes; the fragment needs {length}.", nameof(destination));
        }

        var headerLength = WriteFragmentHeader(au, durationTicks, destination);
        payload.CopyTo(destination[headerLength..]);
        return length;
    }

    /// <summary>
    /// Writes everything of the fragment but the payload, that is the <see cref="GetFragmentLength"/>(0) bytes that
    /// precede it, for a payload that is already in place right after them. Returns the header's length.
    /// </summary>
    public int WriteFragmentHeader(in VideoAccessUnit au, long durationTicks, Span<byte> destination)
    {
        var payloadLength = au.Payload.Length;
        var headerLength = GetFragmentLength(0);
        if (destination.Length < headerLength)
        {
            throw new ArgumentException($"Destination holds {destination.Length} bytes; the fragment's header needs {headerLength}.", nameof(destination));
        }

        var (decodeTime, duration) = Advance(au.PresentationTime90k, durationTicks);
        var d = destination;
        if (_writeProducerReferenceTime)
        {
            WriteHeader(d, ProducerReferenceTimeLength, "prft", 0x01000000);
            BinaryPrimitives.WriteUInt32BigEndian(d[12..], VideoTrackId);
            BinaryPrimitives.WriteUInt64BigEndian(d[16..], ToNtp(au.SenderTimestampNanoseconds));
            BinaryPrimitives.WriteUInt64BigEndian(d[24..], (ulong)decodeTime);
            d = d[ProducerReferenceTimeLength..];
        }

        SequenceNumber = unchecked(SequenceNumber + 1);
        BinaryPrimitives.WriteUInt32BigEndian(d, MoofLength);
        WriteType(d[4..], "moof");

        WriteHeader(d[8..], 16, "mfhd", 0);
        BinaryPrimitives.WriteUInt32BigEndian(d[20..], SequenceNumber);

        BinaryPrimitives.WriteUInt32BigEndian(d[24..], 80);
        WriteType(d[28..], "traf");

        WriteHeader(d[32..], 16, "tfhd", 0x020000); // default-base-is-moof
        BinaryPrimitives.WriteUInt32BigEndian(d[44..], VideoTrackId);

        WriteHeader(d[48..], 20, "tfdt", 0x01000000); // version 1: 64-bit baseMediaDecodeTime
        BinaryPrimitives.WriteUInt64BigEndian(d[60..], (ulong)decodeTime);

        // data-offset, sample-duration, sample-size, sample-flags, sample-composition-time-offset present
        WriteHeader(d[68..], 36, "trun", 0x000F01);
        BinaryPrimitives.WriteUInt32BigEndian(d[80..], 1);
        BinaryPrimitives.WriteInt32BigEndian(d[84..], MoofLength + MdatHeaderLength);
        BinaryPrimitives.WriteUInt32BigEndian(d[88..], (uint)duration);
        BinaryPrimitives.WriteUInt32BigEndian(d[92..], (uint)payloadLength);
        BinaryPrimitives.WriteUInt32BigEndian(d[96..], au.IsKeyframe ? SyncSampleFlags : NonSyncSampleFlags);
        BinaryPrimitives.WriteUInt32BigEndian(d[100..], 0);

        BinaryPrimitives.WriteUInt32BigEndian(d[MoofLength..], (uint)(MdatHeaderLength + payloadLength));
        WriteType(d[(MoofLength + 4)..], "mdat");
        return headerLength;
    }

    /// <summary>Applies the timeline rules (see the type's remarks) and records the result.</summary>
    private (long DecodeTime, long Duration) Advance(long presentationTime, long explicitDuration)
    {
        long decodeTime;
        long duration;
        if (!_started)
        {
            _started = true;
            decodeTime = Math.Max(0, InitialDecodeTime);
            duration = DefaultFrameDuration;
        }
        else
        {
            var delta = presentationTime - _lastPresentationTime;
            var followsClock = delta > 0 && (delta <= 2 * LastDuration || delta <= FollowClockUpTo);
            decodeTime = LastDecodeTime + (followsClock ? delta : LastDuration);
            duration = delta > 0 && delta <= MaxFrameDuration ? delta : LastDuration;
        }

        if (explicitDuration > 0)
        {
            duration = explicitDuration;
        }

        _lastPresentationTime = presentationTime;
        LastDecodeTime = decodeTime;
        LastDuration = duration;
        return (decodeTime, duration);
    }

    private static ulong ToNtp(long nanoseconds)
    {
        var value = (ulong)nanoseconds;
        var seconds = value / 1_000_000_000UL;
        var fraction = ((value % 1_000_000_000UL) << 32) / 1_000_000_000UL;
        return (seconds << 32) | fraction;
    }

    private static void WriteHeader(Span<byte> d, uint size, string type, uint versionAndFlags)
    {
        BinaryPrimitives.WriteUInt32BigEndian(d, size);
        WriteType(d[4..], type);
        BinaryPrimitives.WriteUInt32BigEndian(d[8..], versionAndFlags);
    }

    private static void WriteType(Span<byte> d, string type)
    {
        d[0] = (byte)type[0];
        d[1] = (byte)type[1];
        d[2] = (byte)type[2];
        d[3] = (byte)type[3];
    }
}
