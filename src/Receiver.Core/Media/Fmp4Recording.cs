using System.Buffers.Binary;

namespace Receiver.Core.Media;

/// <summary>
/// Turns what a <see cref="MediaChannel"/> publishes (a video init segment and fragments of track 1, an audio init
/// segment and fragments of track 2) into one fragmented MP4 file: one <c>moov</c> holding both tracks, then the
/// fragments in arrival order with increasing <c>mfhd</c> sequence numbers and decode times counted from the
/// start of the file. Such a file plays while it is being written and stays playable if writing stops at any
/// fragment boundary.
/// </summary>
public static class Fmp4Recording
{
    /// <summary>Largest box this reader accepts in a segment (the channel's fragments are far smaller).</summary>
    private const long MaxBoxSize = 256L * 1024 * 1024;

    /// <summary>
    /// Largest fragment header (everything before the <c>mdat</c>) <see cref="RewriteHeader"/> accepts; the channel's
    /// are under 150 bytes.
    /// </summary>
    public const int MaxHeaderLength = 4096;

    /// <summary>
    /// One initialization segment with the video track of <paramref name="videoInit"/> and, when given, the audio
    /// track of <paramref name="audioInit"/>: ftyp and mvhd of the video segment, both traks, one mvex with both trex.
    /// </summary>
    public static byte[] MergeInitSegments(ReadOnlySpan<byte> videoInit, ReadOnlySpan<byte> audioInit)
    {
        var ftyp = Box.Single(videoInit, "ftyp", "video init segment");
        var videoMoov = Box.Single(videoInit, "moov", "video init segment");
        if (audioInit.IsEmpty)
        {
            return videoInit.ToArray();
        }

        if (ftyp.Offset != 0)
        {
            throw new MediaFormatException("The video init segment does not start with ftyp.");
        }

        var audioMoov = Box.Single(audioInit, "moov", "audio init segment");
        var videoChildren = videoMoov.Content(videoInit);
        var audioChildren = audioMoov.Content(audioInit);
        var mvhd = Box.Single(videoChildren, "mvhd", "video moov");
        var videoTrak = Box.Single(videoChildren, "trak", "video moov");
        var audioTrak = Box.Single(audioChildren, "trak", "audio moov");
        var videoMvexContent = Box.Single(videoChildren, "mvex", "video moov").Content(videoChildren);
        var videoTrex = Box.Single(videoMvexContent, "trex", "video mvex");
        var audioMvexContent = Box.Single(audioChildren, "mvex", "audio moov").Content(audioChildren);
        var audioTrex = Box.Single(audioMvexContent, "trex", "audio mvex");

        var mvexLength = 8 + videoTrex.Length + audioTrex.Length;
        var moovLength = 8 + mvhd.Length + videoTrak.Length + audioTrak.Length + mvexLength;
        var merged = new byte[ftyp.Length + moovLength];
        var at = 0;
        at += ftyp.Slice(videoInit).CopyAndCount(merged.AsSpan(at));
        at += Box.WriteHeader(merged.AsSpan(at), moovLength, "moov");
        at += mvhd.Slice(videoChildren).CopyAndCount(merged.AsSpan(at));
        at += videoTrak.Slice(videoChildren).CopyAndCount(merged.AsSpan(at));
        at += audioTrak.Slice(audioChildren).CopyAndCount(merged.AsSpan(at));
        at += Box.WriteHeader(merged.AsSpan(at), mvexLength, "mvex");
        at += videoTrex.Slice(videoMvexContent).CopyAndCount(merged.AsSpan(at));
        audioTrex.Slice(audioMvexContent).CopyTo(merged.AsSpan(at));
        return merged;
    }

    /// <summary>
    /// Copies a movie fragment (optional prft, moof, mdat) into <paramref name="destination"/> with the
    /// <c>mfhd</c> sequence number set to <paramref name="sequenceNumber"/> and every <c>tfdt</c> moved back by
    /// <paramref name="decodeTimeOffset"/> (in the track's timescale). Returns the bytes written (the fragment's length).
    /// </summary>
    public static int RewriteFragment(ReadOnlySpan<byte> fragment, Span<byte> destination, uint sequenceNumber, long decodeTimeOffset)
    {
        if (destination.Length < fragment.Length)
        {
            throw new ArgumentException("The destination is shorter than the fragment.", nameof(destination));
        }

        var header = RewriteHeader(fragment, destination, sequenceNumber, decodeTimeOffset);
        fragment[header..].CopyTo(destination[header..]);
        return fragment.Length;
    }

    /// <summary>
    /// Copies only the part of a movie fragment that changes, everything up to the end of its <c>moof</c>, into
    /// <paramref name="destination"/> with the sequence number and decode times rewritten as
    /// <see cref="RewriteFragment"/> does, and returns its length: the rest (the <c>mdat</c> with the media) follows
    /// unchanged from the original, so a writer can send it as it is instead of copying it. The header is at most
    /// <see cref="MaxHeaderLength"/> bytes.
    /// </summary>
    public static int RewriteHeader(ReadOnlySpan<byte> fragment, Span<byte> destination, uint sequenceNumber, long decodeTimeOffset)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(decodeTimeOffset);
        var moof = Box.Single(fragment, "moof", "fragment");
        var headerLength = moof.Offset + moof.Length;
        if (headerLength > MaxHeaderLength)
        {
            throw new MediaFormatException($"The fragment's header takes {headerLength} bytes; at most {MaxHeaderLength} are accepted.");
        }

        if (destination.Length < headerLength)
        {
            throw new ArgumentException("The destination is shorter than the fragment's header.", nameof(destination));
        }

        var header = destination[..headerLength];
        fragment[..headerLength].CopyTo(header);
        var moofContent = moof.Content(header);
        var mfhd = Box.Single(moofContent, "mfhd", "moof");
        var mfhdContent = mfhd.Content(moofContent);
        if (mfhdContent.Length < 8)
        {
            throw new MediaFormatException("The mfhd box is too short.");
        }

        // Version and flags (4 bytes), then the sequence number.
        BinaryPrimitives.WriteUInt32BigEndian(mfhdContent[4..], sequenceNumber);
        var trafs = 0;
        var next = 0;
        while (Box.Next(moofContent, ref next, "traf", out var traf))
        {
            trafs++;
            var trafContent = traf.Content(moofContent);
            var tfdtBox = Box.Single(trafContent, "tfdt", "traf");
            var tfdt = tfdtBox.Content(trafContent);
            // Version and flags (4 bytes), then the decode time: 64 bits in version 1, 32 bits otherwise.
            var timeLength = tfdt.Length > 0 && tfdt[0] == 1 ? 8 : 4;
            if (tfdt.Length < 4 + timeLength)
            {
                throw new MediaFormatException("The tfdt box is too short.");
            }

            if (timeLength == 8)
            {
                var stored = BinaryPrimitives.ReadUInt64BigEndian(tfdt[4..]);
                if (stored > long.MaxValue)
                {
                    throw new MediaFormatException("The tfdt decode time is out of range.");
                }

                var time = (long)stored - decodeTimeOffset;
                BinaryPrimitives.WriteUInt64BigEndian(tfdt[4..], (ulong)EnsureNotNegative(time));
            }
            else
            {
                var time = EnsureNotNegative(BinaryPrimitives.ReadUInt32BigEndian(tfdt[4..]) - decodeTimeOffset);
                BinaryPrimitives.WriteUInt32BigEndian(tfdt[4..], time <= uint.MaxValue ? (uint)time : throw new MediaFormatException("The tfdt decode time is out of range."));
            }
        }

        if (trafs == 0)
        {
            throw new MediaFormatException("The moof box holds no traf.");
        }

        return headerLength;
    }

    private static long EnsureNotNegative(long time) =>
        time >= 0 ? time : throw new MediaFormatException("The fragment starts before the recording.");

    /// <summary>A box inside a span: its offset and whole length (header included), and its header length.</summary>
    private readonly record struct Box(int Offset, int Length, int HeaderLength)
    {
        public Span<byte> Slice(Span<byte> parent) => parent.Slice(Offset, Length);

        public ReadOnlySpan<byte> Slice(ReadOnlySpan<byte> parent) => parent.Slice(Offset, Length);

        public Span<byte> Content(Span<byte> parent) => parent.Slice(Offset + HeaderLength, Length - HeaderLength);

        public ReadOnlySpan<byte> Content(ReadOnlySpan<byte> parent) => parent.Slice(Offset + HeaderLength, Length - HeaderLength);

        public static int WriteHeader(Span<byte> destination, int length, string type)
        {
            BinaryPrimitives.WriteUInt32BigEndian(destination, (uint)length);
            for (var i = 0; i < 4; i++)
            {
                destination[4 + i] = (byte)type[i];
            }

            return 8;
        }

        public static Box Single(ReadOnlySpan<byte> data, string type, string where)
        {
            Box? found = null;
            var offset = 0;
            while (Next(data, ref offset, type, out var box))
            {
                if (found is not null)
                {
                    throw new MediaFormatException($"The {where} holds more than one {type} box.");
                }

                found = box;
            }

            return found ?? throw new MediaFormatException($"The {where} holds no {type} box.");
        }

        /// <summary>
        /// Finds the next box of <paramref name="type"/> at or after <paramref name="offset"/> (which moves past it);
        /// false at the end. Every box header on the way is checked against the data's bounds.
        /// </summary>
        public static bool Next(ReadOnlySpan<byte> data, ref int offset, string type, out Box found)
        {
            while (offset < data.Length)
            {
                if (data.Length - offset < 8)
                {
                    throw new MediaFormatException($"A box header at offset {offset} is cut short.");
                }

                long size = BinaryPrimitives.ReadUInt32BigEndian(data[offset..]);
                var header = 8;
                if (size == 1)
                {
                    if (data.Length - offset < 16)
                    {
                        throw new MediaFormatException($"A large box header at offset {offset} is cut short.");
                    }

                    size = (long)BinaryPrimitives.ReadUInt64BigEndian(data[(offset + 8)..]);
                    header = 16;
                }
                else if (size == 0)
                {
                    size = data.Length - offset;
                }

                if (size < header || size > MaxBoxSize || size > data.Length - offset)
                {
                    throw new MediaFormatException($"A box at offset {offset} claims {size} bytes; {data.Length - offset} remain.");
                }

                var start = offset;
                offset += (int)size;
                if (IsType(data.Slice(start + 4, 4), type))
                {
                    found = new Box(start, (int)size, header);
                    return true;
                }
            }

            found = default;
            return false;
        }

        private static bool IsType(ReadOnlySpan<byte> fourCc, string type) =>
            fourCc[0] == type[0] && fourCc[1] == type[1] && fourCc[2] == type[2] && fourCc[3] == type[3];
    }

    private static int CopyAndCount(this ReadOnlySpan<byte> source, Span<byte> destination)
    {
        source.CopyTo(destination);
        return source.Length;
    }
}
