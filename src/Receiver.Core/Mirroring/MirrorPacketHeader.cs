using System.Buffers.Binary;

namespace Receiver.Core.Mirroring;

/// <summary>
/// The 128-byte little-endian header in front of every mirror packet (docs/PROTOCOL.md §7.1, §10.4).
/// The size fields are only meaningful on codec packets; other bytes are not kept.
/// </summary>
public readonly struct MirrorPacketHeader : IEquatable<MirrorPacketHeader>
{
    /// <summary>Header length in bytes.</summary>
    public const int Size = 128;

    /// <summary>Flag bit at offset 5 seen on packets that carry an IDR frame.</summary>
    public const byte IdrFlag = 0x10;

    private const ulong NanosecondsPerSecond = 1_000_000_000;

    /// <summary>Payload length in bytes (offset 0, uint32).</summary>
    public uint PayloadSize { get; init; }

    /// <summary>Payload type (offset 4).</summary>
    public MirrorPayloadType PayloadType { get; init; }

    /// <summary>Flags byte (offset 5): <see cref="IdrFlag"/> on IDR frames.</summary>
    public byte Flags { get; init; }

    /// <summary>Option field (offset 6, uint16), e.g. 0x0116 for H.264 codec data, 0x0156 when the stream is suspended.</summary>
    public ushort Option { get; init; }

    /// <summary>Raw 32.32 timestamp (offset 8, uint64): seconds in the high half, fraction in the low half.</summary>
    public ulong Timestamp { get; init; }

    /// <summary>Source width (offset 16, float32; codec packets).</summary>
    public float SourceWidth { get; init; }

    /// <summary>Source height (offset 20, float32; codec packets).</summary>
    public float SourceHeight { get; init; }

    /// <summary>Repeated width (offset 40, float32; codec packets).</summary>
    public float SecondaryWidth { get; init; }

    /// <summary>Repeated height (offset 44, float32; codec packets).</summary>
    public float SecondaryHeight { get; init; }

    /// <summary>Stream width (offset 56, float32; codec packets).</summary>
    public float StreamWidth { get; init; }

    /// <summary>Stream height (offset 60, float32; codec packets).</summary>
    public float StreamHeight { get; init; }

    /// <summary>True when the flags mark an IDR frame.</summary>
    public bool IsIdr => (Flags & IdrFlag) != 0;

    /// <summary>The timestamp converted to nanoseconds on the sender's clock.</summary>
    public ulong TimestampNanoseconds => NtpToNanoseconds(Timestamp);

    /// <summary>Reads a header from the first 128 bytes; false when fewer bytes are available.</summary>
    public static bool TryParse(ReadOnlySpan<byte> source, out MirrorPacketHeader header)
    {
        if (source.Length < Size)
        {
            header = default;
            return false;
        }

        header = new MirrorPacketHeader
        {
            PayloadSize = BinaryPrimitives.ReadUInt32LittleEndian(source),
            PayloadType = (MirrorPayloadType)source[4],
            Flags = source[5],
            Option = BinaryPrimitives.ReadUInt16LittleEndian(source[6..]),
            Timestamp = BinaryPrimitives.ReadUInt64LittleEndian(source[8..]),
            SourceWidth = BinaryPrimitives.ReadSingleLittleEndian(source[16..]),
            SourceHeight = BinaryPrimitives.ReadSingleLittleEndian(source[20..]),
            SecondaryWidth = BinaryPrimitives.ReadSingleLittleEndian(source[40..]),
            SecondaryHeight = BinaryPrimitives.ReadSingleLittleEndian(source[44..]),
            StreamWidth = BinaryPrimitives.ReadSingleLittleEndian(source[56..]),
            StreamHeight = BinaryPrimitives.ReadSingleLittleEndian(source[60..]),
        };
        return true;
    }

    /// <summary>Writes the 128-byte header; bytes without a field are zero.</summary>
    public void WriteTo(Span<byte> destination)
    {
        if (destination.Length < Size)
        {
            throw new ArgumentException($"A mirror packet header needs {Size} bytes.", nameof(destination));
        }

        destination[..Size].Clear();
        BinaryPrimitives.WriteUInt32LittleEndian(destination, PayloadSize);
        destination[4] = (byte)PayloadType;
        destination[5] = Flags;
        BinaryPrimitives.WriteUInt16LittleEndian(destination[6..], Option);
        BinaryPrimitives.WriteUInt64LittleEndian(destination[8..], Timestamp);
        BinaryPrimitives.WriteSingleLittleEndian(destination[16..], SourceWidth);
        BinaryPrimitives.WriteSingleLittleEndian(destination[20..], SourceHeight);
        BinaryPrimitives.WriteSingleLittleEndian(destination[40..], SecondaryWidth);
        BinaryPrimitives.WriteSingleLittleEndian(destination[44..], SecondaryHeight);
        BinaryPrimitives.WriteSingleLittleEndian(destination[56..], StreamWidth);
        BinaryPrimitives.WriteSingleLittleEndian(destination[60..], StreamHeight);
    }

    /// <summary>Converts a 32.32 timestamp to nanoseconds: <c>seconds * 1e9 + (fraction * 1e9 >> 32)</c>.</summary>
    public static ulong NtpToNanoseconds(ulong timestamp)
    {
        unchecked
        {
            var seconds = timestamp >> 32;
            var fraction = timestamp & 0xFFFF_FFFF;
            return (seconds * NanosecondsPerSecond) + ((fraction * NanosecondsPerSecond) >> 32);
        }
    }

    /// <summary>
    /// Converts nanoseconds to a 32.32 timestamp. The fraction is rounded up, so that
    /// <see cref="NtpToNanoseconds"/> gives back exactly the same value.
    /// </summary>
    public static ulong NanosecondsToNtp(ulong nanoseconds)
    {
        var seconds = nanoseconds / NanosecondsPerSecond;
        var remainder = nanoseconds % NanosecondsPerSecond;
        var fraction = ((remainder << 32) + NanosecondsPerSecond - 1) / NanosecondsPerSecond;
        return unchecked((seconds << 32) | fraction);
    }

    /// <inheritdoc />
    public bool Equals(MirrorPacketHeader other) =>
        PayloadSize == other.PayloadSize && PayloadType == other.PayloadType && Flags == other.Flags &&
        Option == other.Option && Timestamp == other.Timestamp &&
        SourceWidth.Equals(other.SourceWidth) && SourceHeight.Equals(other.SourceHeight) &&
        SecondaryWidth.Equals(other.SecondaryWidth) && SecondaryHeight.Equals(other.SecondaryHeight) &&
        StreamWidth.Equals(other.StreamWidth) && StreamHeight.Equals(other.StreamHeight);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is MirrorPacketHeader other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(PayloadSize, PayloadType, Flags, Option, Timestamp, StreamWidth, StreamHeight);

    /// <summary>Compares two headers field by field.</summary>
    public static bool operator ==(MirrorPacketHeader left, MirrorPacketHeader right) => left.Equals(right);

    /// <summary>Compares two headers field by field.</summary>
    public static bool operator !=(MirrorPacketHeader left, MirrorPacketHeader right) => !left.Equals(right);
}
