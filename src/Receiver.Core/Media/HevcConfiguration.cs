using System.Buffers.Binary;

namespace Receiver.Core.Media;

/// <summary>
/// An H.265 <c>hvcC</c> record (HEVCDecoderConfigurationRecord). H.265 codec packets carry it inside an
/// <c>hvc1</c> sample entry whose NAL arrays start at payload offset 0x75 (docs/PROTOCOL.md §7.4); see
/// <see cref="ParseSampleEntry"/>. It is also the decoder configuration of an H.265 <see cref="VideoFormat"/>.
/// </summary>
public sealed class HevcConfiguration
{
    /// <summary>NAL type of a video parameter set.</summary>
    public const int VpsType = 32;

    /// <summary>NAL type of a sequence parameter set.</summary>
    public const int SpsType = 33;

    /// <summary>NAL type of a picture parameter set.</summary>
    public const int PpsType = 34;

    /// <summary>Offset of the hvcC record inside an hvc1 sample entry.</summary>
    public const int SampleEntryRecordOffset = 0x5E;

    /// <summary>Offset of the first NAL array inside an hvc1 sample entry.</summary>
    public const int SampleEntryArraysOffset = 0x75;

    private const int HeaderLength = 23;
    private const int VisualSampleEntryLength = 86;

    private readonly byte[] _header;

    private HevcConfiguration(byte[] header, IReadOnlyList<byte[]> vps, IReadOnlyList<byte[]> sps, IReadOnlyList<byte[]> pps)
    {
        _header = header;
        VideoParameterSets = vps;
        SequenceParameterSets = sps;
        PictureParameterSets = pps;
    }

    /// <summary>configurationVersion (1).</summary>
    public byte Version => _header[0];

    /// <summary>general_profile_idc.</summary>
    public int ProfileIdc => _header[1] & 0x1F;

    /// <summary>general_tier_flag.</summary>
    public bool HighTier => (_header[1] & 0x20) != 0;

    /// <summary>general_level_idc.</summary>
    public byte LevelIdc => _header[12];

    /// <summary>chroma_format_idc.</summary>
    public int ChromaFormat => _header[16] & 0x03;

    /// <summary>Luma bit depth.</summary>
    public int BitDepthLuma => (_header[17] & 0x07) + 8;

    /// <summary>Length of the NAL size prefix in video frames: 1, 2 or 4.</summary>
    public int NalLengthSize => (_header[21] & 0x03) + 1;

    /// <summary>VPS NAL units, at least one.</summary>
    public IReadOnlyList<byte[]> VideoParameterSets { get; }

    /// <summary>SPS NAL units, at least one.</summary>
    public IReadOnlyList<byte[]> SequenceParameterSets { get; }

    /// <summary>PPS NAL units, at least one.</summary>
    public IReadOnlyList<byte[]> PictureParameterSets { get; }

    /// <summary>Length of the record <see cref="WriteTo"/> produces.</summary>
    public int EncodedLength => HeaderLength + ArrayLength(VideoParameterSets) + ArrayLength(SequenceParameterSets) + ArrayLength(PictureParameterSets);

    /// <summary>Parses a standard hvcC record; throws <see cref="MediaFormatException"/> when it is malformed.</summary>
    public static HevcConfiguration Parse(ReadOnlySpan<byte> record)
    {
        if (record.Length < HeaderLength)
        {
            throw Malformed($"hvcC record of {record.Length} bytes is shorter than its {HeaderLength}-byte header.");
        }

        if (record[0] != 1)
        {
            throw Malformed($"hvcC configurationVersion is {record[0]}, expected 1.");
        }

        if ((record[21] & 0x03) == 2)
        {
            throw Malformed("hvcC NAL length size of 3 bytes is not allowed.");
        }

        var position = HeaderLength;
        var (vps, sps, pps) = ReadArrays(record, ref position, record[22]);
        return new HevcConfiguration(record[..HeaderLength].ToArray(), vps, sps, pps);
    }

    /// <summary>
    /// Parses the payload of an H.265 codec packet: an <c>hvc1</c> sample entry (type at bytes 4..7) holding an
    /// <c>hvcC</c> box whose NAL arrays start at offset 0x75. When the box is not labelled <c>hvcC</c>, three
    /// arrays (VPS, SPS, PPS) are read from 0x75 directly.
    /// </summary>
    public static HevcConfiguration ParseSampleEntry(ReadOnlySpan<byte> payload)
    {
        if (payload.Length < SampleEntryArraysOffset)
        {
            throw Malformed($"hvc1 sample entry of {payload.Length} bytes ends before offset 0x75.");
        }

        if (!payload.Slice(4, 4).SequenceEqual("hvc1"u8))
        {
            throw Malformed("H.265 codec data does not start with an hvc1 sample entry.");
        }

        if (payload.Slice(VisualSampleEntryLength + 4, 4).SequenceEqual("hvcC"u8))
        {
            var boxSize = BinaryPrimitives.ReadUInt32BigEndian(payload[VisualSampleEntryLength..]);
            if (boxSize < 8 + HeaderLength || boxSize > payload.Length - VisualSampleEntryLength)
            {
                throw Malformed($"hvcC box size {boxSize} does not fit the {payload.Length}-byte sample entry.");
            }

            return Parse(payload.Slice(SampleEntryRecordOffset, (int)boxSize - 8));
        }

        var position = SampleEntryArraysOffset;
        var (vps, sps, pps) = ReadArrays(payload, ref position, 3);
        var header = new byte[HeaderLength];
        payload.Slice(SampleEntryRecordOffset, HeaderLength - 1).CopyTo(header);
        header[0] = 1;
        header[21] |= 0x03;
        header[22] = 3;
        return new HevcConfiguration(header, vps, sps, pps);
    }

    /// <summary>
    /// Builds a record from parameter sets. Profile, tier, compatibility, constraint and level bytes are copied
    /// from the general profile_tier_level of the first SPS.
    /// </summary>
    public static HevcConfiguration Create(IReadOnlyList<byte[]> vps, IReadOnlyList<byte[]> sps, IReadOnlyList<byte[]> pps)
    {
        CheckList(vps, VpsType, nameof(vps));
        CheckList(sps, SpsType, nameof(sps));
        CheckList(pps, PpsType, nameof(pps));
        // SPS payload after the 2-byte NAL header, with emulation-prevention bytes removed: one byte of
        // vps id / max_sub_layers_minus1 / temporal_id_nesting, then the 12-byte general profile_tier_level.
        Span<byte> rbsp = stackalloc byte[13];
        if (Unescape(sps[0].AsSpan(2), rbsp) < rbsp.Length)
        {
            throw new ArgumentException("The first SPS is too short to hold profile_tier_level.", nameof(sps));
        }

        var header = new byte[HeaderLength];
        header[0] = 1;
        rbsp[1..].CopyTo(header.AsSpan(1));
        header[13] = 0xF0;
        header[15] = 0xFC;
        header[16] = 0xFD;
        header[17] = 0xF8;
        header[18] = 0xF8;
        var subLayers = ((rbsp[0] >> 1) & 0x07) + 1;
        var nested = rbsp[0] & 0x01;
        header[21] = (byte)((subLayers << 3) | (nested << 2) | 0x03);
        header[22] = 3;
        return new HevcConfiguration(header, [.. vps], [.. sps], [.. pps]);
    }

    /// <summary>
    /// The record of an H.265 <see cref="VideoFormat"/> (ISO/IEC 14496-15 clause 8.3.3.1): 4-byte NAL lengths, profile,
    /// level, chroma format, bit depths and sub-layers from <paramref name="parsed"/>. Throws
    /// <see cref="MediaFormatException"/> when the sets do not fit the record.
    /// </summary>
    internal static HevcConfiguration ForFormat(H265SequenceParameterSet parsed, IReadOnlyList<byte[]> vps, IReadOnlyList<byte[]> sps, IReadOnlyList<byte[]> pps)
    {
        foreach (var (type, units) in new[] { (VpsType, vps), (SpsType, sps), (PpsType, pps) })
        {
            if (units.Count is 0 or > ushort.MaxValue)
            {
                throw new MediaFormatException($"hvcC array for NAL type {type} needs at least one unit.");
            }

            foreach (var unit in units)
            {
                if (unit.Length is 0 or > ushort.MaxValue)
                {
                    throw new MediaFormatException($"Parameter set length {unit.Length} does not fit hvcC.");
                }
            }
        }

        var header = new byte[HeaderLength];
        header[0] = 1; // configurationVersion
        header[1] = (byte)((parsed.GeneralProfileSpace << 6) | (parsed.GeneralTierFlag ? 0x20 : 0) | parsed.GeneralProfileIdc);
        BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(2), parsed.GeneralProfileCompatibilityFlags);
        parsed.GeneralConstraintIndicatorFlags.Span.CopyTo(header.AsSpan(6));
        header[12] = (byte)parsed.GeneralLevelIdc;
        header[13] = 0xF0; // reserved '1111' + min_spatial_segmentation_idc = 0
        header[15] = 0xFC; // reserved '111111' + parallelismType = 0 (unknown)
        header[16] = (byte)(0xFC | parsed.ChromaFormatIdc);
        header[17] = (byte)(0xF8 | (parsed.BitDepthLuma - 8));
        header[18] = (byte)(0xF8 | (parsed.BitDepthChroma - 8));

        // avgFrameRate = 0 (unspecified), constantFrameRate = 0, numTemporalLayers, temporalIdNested, lengthSizeMinusOne = 3
        header[21] = (byte)((parsed.MaxSubLayers << 3) | (parsed.TemporalIdNesting ? 0x04 : 0) | 0x03);
        header[22] = 3; // numOfArrays
        return new HevcConfiguration(header, [.. vps], [.. sps], [.. pps]);
    }

    /// <summary>Writes the hvcC record and returns its length.</summary>
    public int WriteTo(Span<byte> destination)
    {
        var length = EncodedLength;
        if (destination.Length < length)
        {
            throw new ArgumentException($"The hvcC record needs {length} bytes.", nameof(destination));
        }

        _header.CopyTo(destination);
        destination[22] = 3;
        var position = HeaderLength;
        WriteArray(destination, ref position, VpsType, VideoParameterSets);
        WriteArray(destination, ref position, SpsType, SequenceParameterSets);
        WriteArray(destination, ref position, PpsType, PictureParameterSets);
        return position;
    }

    /// <summary>Returns the encoded hvcC record.</summary>
    public byte[] ToArray()
    {
        var result = new byte[EncodedLength];
        WriteTo(result);
        return result;
    }

    /// <summary>Returns an <c>hvc1</c> sample entry holding this record, as an H.265 codec packet payload.</summary>
    public byte[] ToSampleEntry(ushort width, ushort height)
    {
        var recordLength = EncodedLength;
        var result = new byte[VisualSampleEntryLength + 8 + recordLength];
        var span = result.AsSpan();
        BinaryPrimitives.WriteUInt32BigEndian(span, (uint)result.Length);
        "hvc1"u8.CopyTo(span[4..]);
        BinaryPrimitives.WriteUInt16BigEndian(span[14..], 1);
        BinaryPrimitives.WriteUInt16BigEndian(span[32..], width);
        BinaryPrimitives.WriteUInt16BigEndian(span[34..], height);
        BinaryPrimitives.WriteUInt32BigEndian(span[36..], 0x0048_0000);
        BinaryPrimitives.WriteUInt32BigEndian(span[40..], 0x0048_0000);
        BinaryPrimitives.WriteUInt16BigEndian(span[48..], 1);
        BinaryPrimitives.WriteUInt16BigEndian(span[82..], 0x0018);
        BinaryPrimitives.WriteUInt16BigEndian(span[84..], 0xFFFF);
        BinaryPrimitives.WriteUInt32BigEndian(span[VisualSampleEntryLength..], (uint)(8 + recordLength));
        "hvcC"u8.CopyTo(span[(VisualSampleEntryLength + 4)..]);
        WriteTo(span[SampleEntryRecordOffset..]);
        return result;
    }

    /// <summary>Returns all VPS, SPS and PPS, each after an Annex-B start code.</summary>
    public byte[] ToAnnexB() => Media.AnnexB.Join([.. VideoParameterSets, .. SequenceParameterSets, .. PictureParameterSets]);

    private static (List<byte[]> Vps, List<byte[]> Sps, List<byte[]> Pps) ReadArrays(ReadOnlySpan<byte> data, ref int position, int arrayCount)
    {
        List<byte[]> vps = [], sps = [], pps = [];
        for (var a = 0; a < arrayCount; a++)
        {
            if (data.Length - position < 3)
            {
                throw Malformed($"hvcC ends inside the header of NAL array {a}.");
            }

            var type = data[position] & 0x3F;
            var count = BinaryPrimitives.ReadUInt16BigEndian(data[(position + 1)..]);
            position += 3;
            var target = type switch { VpsType => vps, SpsType => sps, PpsType => pps, _ => null };
            for (var i = 0; i < count; i++)
            {
                if (data.Length - position < 2)
                {
                    throw Malformed($"hvcC ends inside the length of NAL {i} of array {a}.");
                }

                var length = BinaryPrimitives.ReadUInt16BigEndian(data[position..]);
                position += 2;
                if (length < 2 || length > data.Length - position)
                {
                    throw Malformed($"hvcC NAL {i} of array {a} has length {length}, which does not fit.");
                }

                var nal = data.Slice(position, length);
                if ((nal[0] & 0x80) != 0 || ((nal[0] >> 1) & 0x3F) != type)
                {
                    throw Malformed($"hvcC NAL {i} of array {a} has header 0x{nal[0]:x2}, expected type {type}.");
                }

                target?.Add(nal.ToArray());
                position += length;
            }
        }

        if (vps.Count == 0 || sps.Count == 0 || pps.Count == 0)
        {
            throw Malformed($"hvcC holds {vps.Count} VPS, {sps.Count} SPS and {pps.Count} PPS; at least one of each is needed.");
        }

        return (vps, sps, pps);
    }

    private static int Unescape(ReadOnlySpan<byte> escaped, Span<byte> destination)
    {
        var written = 0;
        var zeros = 0;
        foreach (var b in escaped)
        {
            if (written == destination.Length)
            {
                break;
            }

            if (zeros >= 2 && b == 0x03)
            {
                zeros = 0;
                continue;
            }

            zeros = b == 0 ? zeros + 1 : 0;
            destination[written++] = b;
        }

        return written;
    }

    private static int ArrayLength(IReadOnlyList<byte[]> sets) => 3 + sets.Sum(s => 2 + s.Length);

    private static void WriteArray(Span<byte> destination, ref int position, int type, IReadOnlyList<byte[]> sets)
    {
        destination[position] = (byte)(0x80 | type);
        BinaryPrimitives.WriteUInt16BigEndian(destination[(position + 1)..], (ushort)sets.Count);
        position += 3;
        foreach (var set in sets)
        {
            BinaryPrimitives.WriteUInt16BigEndian(destination[position..], (ushort)set.Length);
            set.CopyTo(destination[(position + 2)..]);
            position += 2 + set.Length;
        }
    }

    private static void CheckList(IReadOnlyList<byte[]> sets, int type, string parameter)
    {
        ArgumentNullException.ThrowIfNull(sets, parameter);
        if (sets.Count is 0 or > ushort.MaxValue)
        {
            throw new ArgumentException("At least one parameter set is needed.", parameter);
        }

        foreach (var set in sets)
        {
            if (set is null || set.Length is < 2 or > ushort.MaxValue || ((set[0] >> 1) & 0x3F) != type)
            {
                throw new ArgumentException($"Every entry must be a NAL unit of type {type} up to 65535 bytes.", parameter);
            }
        }
    }

    private static MediaFormatException Malformed(string message) => new(message);
}
