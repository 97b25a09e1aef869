using System.Buffers.Binary;

namespace Receiver.Core.Media;

/// <summary>
/// Writes the audio track as its own fragmented MP4 stream for a second MSE SourceBuffer: an init segment with
/// one <c>mp4a</c> track (id <see cref="Fmp4Muxer.AudioTrackId"/>, timescale = sample rate, esds with the
/// AudioSpecificConfig) and one movie fragment per AAC frame. Decode times are given by the caller in samples.
/// Not thread-safe.
/// </summary>
public sealed class Fmp4AudioMuxer
{
    /// <summary>Size of the moof box this muxer writes.</summary>
    public const int MoofLength = 100;

    private const int MdatHeaderLength = 8;

    /// <summary>Sequence number of the last fragment written (mfhd), 0 before the first.</summary>
    public uint SequenceNumber { get; private set; }

    /// <summary>Creates the init segment (ftyp + moov) for an audio format.</summary>
    public static byte[] CreateInitSegment(AudioFormat format) => Fmp4AudioInitSegment.Create(format);

    public static int GetFragmentLength(int payloadLength) => MoofLength + MdatHeaderLength + payloadLength;

    /// <summary>Writes moof + mdat for one frame of <paramref name="durationSamples"/> samples at <paramref name="decodeTime"/>.</summary>
    public byte[] CreateFragment(ReadOnlySpan<byte> payload, long decodeTime, int durationSamples)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(decodeTime);
        var d = new byte[GetFragmentLength(payload.Length)];
        SequenceNumber = unchecked(SequenceNumber + 1);
        Header(d, MoofLength, "moof");
        FullHeader(d.AsSpan(8), 16, "mfhd", 0);
        BinaryPrimitives.WriteUInt32BigEndian(d.AsSpan(20), SequenceNumber);
        Header(d.AsSpan(24), MoofLength - 24, "traf");
        FullHeader(d.AsSpan(32), 16, "tfhd", 0x020000); // default-base-is-moof
        BinaryPrimitives.WriteUInt32BigEndian(d.AsSpan(44), Fmp4Muxer.AudioTrackId);
        FullHeader(d.AsSpan(48), 20, "tfdt", 0x01000000);
        BinaryPrimitives.WriteUInt64BigEndian(d.AsSpan(60), (ulong)decodeTime);

        // data-offset, sample-duration, sample-size, sample-flags present
        FullHeader(d.AsSpan(68), 32, "trun", 0x000701);
        BinaryPrimitives.WriteUInt32BigEndian(d.AsSpan(80), 1);
        BinaryPrimitives.WriteInt32BigEndian(d.AsSpan(84), MoofLength + MdatHeaderLength);
        BinaryPrimitives.WriteUInt32BigEndian(d.AsSpan(88), (uint)durationSamples);
        BinaryPrimitives.WriteUInt32BigEndian(d.AsSpan(92), (uint)payload.Length);
        BinaryPrimitives.WriteUInt32BigEndian(d.AsSpan(96), 0x02000000); // every AAC frame is a sync sample
        return Finish(d, payload);
    }

    private static byte[] Finish(byte[] d, ReadOnlySpan<byte> payload)
    {
        BinaryPrimitives.WriteUInt32BigEndian(d.AsSpan(MoofLength), (uint)(MdatHeaderLength + payload.Length));
        "mdat"u8.CopyTo(d.AsSpan(MoofLength + 4));
        payload.CopyTo(d.AsSpan(MoofLength + MdatHeaderLength));
        return d;
    }

    private static void Header(Span<byte> d, int size, string type)
    {
        BinaryPrimitives.WriteUInt32BigEndian(d, (uint)size);
        for (var i = 0; i < 4; i++)
        {
            d[4 + i] = (byte)type[i];
        }
    }

    private static void FullHeader(Span<byte> d, int size, string type, uint versionAndFlags)
    {
        Header(d, size, type);
        BinaryPrimitives.WriteUInt32BigEndian(d[8..], versionAndFlags);
    }
}
