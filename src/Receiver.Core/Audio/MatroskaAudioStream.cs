using System.Buffers.Binary;

namespace Receiver.Core.Audio;

/// <summary>
/// Writes a minimal live Matroska stream with one audio track, the container the transcoder reads compressed
/// frames from over a pipe: an EBML header, a Segment of unknown size with Info and Tracks (codec id and codec
/// private data such as the AAC AudioSpecificConfig), then one Cluster of unknown size per frame holding a
/// single SimpleBlock. Timestamps are milliseconds.
/// </summary>
public static class MatroskaAudioStream
{
    private static readonly byte[] UnknownSize = [0x01, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF];

    /// <summary>
    /// Creates the stream header: EBML header, the start of the Segment, Info and Tracks. <paramref name="bitDepth"/>
    /// is written when positive (PCM tracks need it); an empty <paramref name="codecPrivate"/> is left out.
    /// </summary>
    public static byte[] CreateHeader(string codecId, ReadOnlySpan<byte> codecPrivate, int sampleRate, int channels, int bitDepth = 0)
    {
        ArgumentException.ThrowIfNullOrEmpty(codecId);
        using var output = new MemoryStream();
        WriteElement(output, 0x1A45DFA3, Concat(
            Element(0x4286, UInt(1)),
            Element(0x42F7, UInt(1)),
            Element(0x42F2, UInt(4)),
            Element(0x42F3, UInt(8)),
            Element(0x4282, "matroska"u8.ToArray()),
            Element(0x4287, UInt(4)),
            Element(0x4285, UInt(2))));
        WriteId(output, 0x18538067);
        output.Write(UnknownSize);
        WriteElement(output, 0x1549A966, Concat(Element(0x2AD7B1, UInt(1_000_000)), Element(0x4D80, "receiver"u8.ToArray())));
        var rate = new byte[8];
        BinaryPrimitives.WriteDoubleBigEndian(rate, sampleRate);
        var audio = Element(0xE1, Concat(
            Element(0xB5, rate),
            Element(0x9F, UInt((ulong)channels)),
            bitDepth > 0 ? Element(0x6264, UInt((ulong)bitDepth)) : []));
        var track = Element(0xAE, Concat(
            Element(0xD7, UInt(1)),
            Element(0x73C5, UInt(1)),
            Element(0x83, UInt(2)),
            Element(0x86, System.Text.Encoding.ASCII.GetBytes(codecId)),
            codecPrivate.IsEmpty ? [] : Element(0x63A2, codecPrivate.ToArray()),
            audio));
        WriteElement(output, 0x1654AE6B, track);
        return output.ToArray();
    }

    /// <summary>Bytes <see cref="WriteFrame"/> writes for a frame of <paramref name="frameLength"/> bytes.</summary>
    public static int GetFrameLength(int frameLength) =>
        4 + UnknownSize.Length + 1 + 1 + 8 + 1 + SizeLength(frameLength + 4) + 4 + frameLength;

    /// <summary>Writes a Cluster with the frame's timestamp and one keyframe SimpleBlock holding the frame.</summary>
    public static int WriteFrame(Span<byte> destination, ulong timestampMilliseconds, ReadOnlySpan<byte> frame)
    {
        var length = GetFrameLength(frame.Length);
        if (destination.Length < length)
        {
            throw new ArgumentException($"Destination holds {destination.Length} bytes; the cluster needs {length}.", nameof(destination));
        }

        BinaryPrimitives.WriteUInt32BigEndian(destination, 0x1F43B675);
        UnknownSize.CopyTo(destination[4..]);
        var d = destination[(4 + UnknownSize.Length)..];
        d[0] = 0xE7;
        d[1] = 0x88;
        BinaryPrimitives.WriteUInt64BigEndian(d[2..], timestampMilliseconds);
        d = d[10..];
        d[0] = 0xA3;
        var sizeLength = WriteSize(d[1..], frame.Length + 4);
        d = d[(1 + sizeLength)..];
        d[0] = 0x81;
        d[1] = 0;
        d[2] = 0;
        d[3] = 0x80;
        frame.CopyTo(d[4..]);
        return length;
    }

    private static int SizeLength(int size)
    {
        var length = 1;
        while ((ulong)size >= (1UL << (7 * length)) - 1)
        {
            length++;
        }

        return length;
    }

    private static int WriteSize(Span<byte> destination, int size)
    {
        var length = SizeLength(size);
        var value = (uint)size | (1UL << (7 * length));
        for (var i = length - 1; i >= 0; i--)
        {
            destination[i] = (byte)value;
            value >>= 8;
        }

        return length;
    }

    private static byte[] Element(uint id, byte[] data)
    {
        using var output = new MemoryStream();
        WriteElement(output, id, data);
        return output.ToArray();
    }

    private static void WriteElement(Stream output, uint id, byte[] data)
    {
        WriteId(output, id);
        Span<byte> size = stackalloc byte[8];
        var length = WriteSize(size, data.Length);
        output.Write(size[..length]);
        output.Write(data);
    }

    private static void WriteId(Stream output, uint id)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, id);
        var skip = id > 0xFFFFFF ? 0 : id > 0xFFFF ? 1 : id > 0xFF ? 2 : 3;
        output.Write(bytes[skip..]);
    }

    private static byte[] UInt(ulong value)
    {
        var length = Math.Max(1, (64 - System.Numerics.BitOperations.LeadingZeroCount(value) + 7) / 8);
        var bytes = new byte[length];
        for (var i = length - 1; i >= 0; i--)
        {
            bytes[i] = (byte)value;
            value >>= 8;
        }

        return bytes;
    }

    private static byte[] Concat(params byte[][] parts)
    {
        var result = new byte[parts.Sum(p => p.Length)];
        var offset = 0;
        foreach (var part in parts)
        {
            part.CopyTo(result, offset);
            offset += part.Length;
        }

        return result;
    }
}
