using System.Buffers.Binary;

namespace Receiver.Web.Media;

/// <summary>
/// The fixed header that precedes the payload of every binary message of the media WebSocket.
/// All integers are big-endian.
/// <code>
/// offset size field
///  0     1    kind: 1 = init segment (MSE), 2 = media (a movie fragment in MSE mode, an AVCC access unit in WebCodecs mode),
///             3 = audio init segment (MSE), 4 = audio media (a movie fragment of track 2 in MSE mode; in WebCodecs mode
///             a raw AAC frame or a frame of 16-bit PCM, as the audioFormat message says)
///  1     1    flags: bit 0 = keyframe; bit 1 = backlog: a picture of the GOP a viewer receives on joining, sent
///             for the decoder to reach the live edge and not to be shown; bit 2 = the backlog's last picture (what
///             a still screen shows when no live picture follows)
///  2     2    header length (40); the payload starts here
///  4     4    fragment sequence number (0 for an init segment)
///  8     8    presentation timestamp in microseconds (the fragment's decode time; equals presentation time, no B-frames)
/// 16     8    sender time: when the sender captured the access unit (or plays the audio frame), mapped onto the
///             receiver's wall clock through the session's sender clock, microseconds since 1970-01-01 (0 when unknown)
/// 24     8    receiver wall clock when the access unit was complete, microseconds since 1970-01-01 (0 when unknown)
/// 32     8    receiver wall clock when the message was sent, microseconds since 1970-01-01
/// </code>
/// </summary>
public readonly record struct MediaFrameHeader(
    MediaFrameKind Kind,
    bool IsKeyframe,
    uint SequenceNumber,
    long TimestampMicroseconds,
    long SenderUnixMicroseconds,
    long ReceivedAtUnixMicroseconds,
    long SentAtUnixMicroseconds,
    bool IsBacklog = false,
    bool IsBacklogEnd = false)
{
    /// <summary>Bytes of the header on the wire.</summary>
    public const int Length = 40;

    private const byte KeyframeFlag = 0x01;
    private const byte BacklogFlag = 0x02;
    private const byte BacklogEndFlag = 0x04;

    public void Write(Span<byte> destination)
    {
        if (destination.Length < Length)
        {
            throw new ArgumentException($"The header needs {Length} bytes.", nameof(destination));
        }

        destination[0] = (byte)Kind;
        destination[1] = (byte)((IsKeyframe ? KeyframeFlag : 0) | (IsBacklog ? BacklogFlag : 0) | (IsBacklogEnd ? BacklogEndFlag : 0));
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], Length);
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], SequenceNumber);
        BinaryPrimitives.WriteInt64BigEndian(destination[8..], TimestampMicroseconds);
        BinaryPrimitives.WriteInt64BigEndian(destination[16..], SenderUnixMicroseconds);
        BinaryPrimitives.WriteInt64BigEndian(destination[24..], ReceivedAtUnixMicroseconds);
        BinaryPrimitives.WriteInt64BigEndian(destination[32..], SentAtUnixMicroseconds);
    }

    /// <summary>Reads a header written by <see cref="Write"/>; throws <see cref="FormatException"/> for a malformed one.</summary>
    public static MediaFrameHeader Read(ReadOnlySpan<byte> source)
    {
        if (source.Length < Length)
        {
            throw new FormatException($"A media message is at least {Length} bytes, got {source.Length}.");
        }

        var kind = (MediaFrameKind)source[0];
        if (kind is not (MediaFrameKind.InitSegment or MediaFrameKind.Media or MediaFrameKind.AudioInitSegment or MediaFrameKind.AudioMedia))
        {
            throw new FormatException($"Unknown media message kind {source[0]}.");
        }

        var headerLength = BinaryPrimitives.ReadUInt16BigEndian(source[2..]);
        if (headerLength < Length || headerLength > source.Length)
        {
            throw new FormatException($"Invalid media header length {headerLength}.");
        }

        return new MediaFrameHeader(
            kind,
            (source[1] & KeyframeFlag) != 0,
            BinaryPrimitives.ReadUInt32BigEndian(source[4..]),
            BinaryPrimitives.ReadInt64BigEndian(source[8..]),
            BinaryPrimitives.ReadInt64BigEndian(source[16..]),
            BinaryPrimitives.ReadInt64BigEndian(source[24..]),
            BinaryPrimitives.ReadInt64BigEndian(source[32..]),
            (source[1] & BacklogFlag) != 0,
            (source[1] & BacklogEndFlag) != 0);
    }
}
