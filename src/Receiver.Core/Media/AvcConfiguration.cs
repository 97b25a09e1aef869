using System.Buffers.Binary;

namespace Receiver.Core.Media;

/// <summary>
/// An H.264 <c>avcC</c> record (AVCDecoderConfigurationRecord), the payload of a codec packet
/// (docs/PROTOCOL.md §7.4), and the decoder configuration of an H.264 <see cref="VideoFormat"/>. Bytes after the
/// PPS list (high-profile extensions) are allowed and ignored when parsing.
/// </summary>
public sealed class AvcConfiguration
{
    private const int MaxSetsPerList = 31;

    private readonly byte[]? _highProfileExtension;

    private AvcConfiguration(
        byte version, byte profile, byte compatibility, byte level, int nalLengthSize, IReadOnlyList<byte[]> sps, IReadOnlyList<byte[]> pps,
        byte[]? highProfileExtension = null)
    {
        _highProfileExtension = highProfileExtension;
        Version = version;
        Profile = profile;
        Compatibility = compatibility;
        Level = level;
        NalLengthSize = nalLengthSize;
        SequenceParameterSets = sps;
        PictureParameterSets = pps;
    }

    /// <summary>configurationVersion (always 1).</summary>
    public byte Version { get; }

    /// <summary>AVCProfileIndication.</summary>
    public byte Profile { get; }

    /// <summary>profile_compatibility.</summary>
    public byte Compatibility { get; }

    /// <summary>AVCLevelIndication.</summary>
    public byte Level { get; }

    /// <summary>Length of the NAL size prefix in video frames: 1, 2 or 4.</summary>
    public int NalLengthSize { get; }

    /// <summary>SPS NAL units (without length or start code), at least one.</summary>
    public IReadOnlyList<byte[]> SequenceParameterSets { get; }

    /// <summary>PPS NAL units (without length or start code), at least one.</summary>
    public IReadOnlyList<byte[]> PictureParameterSets { get; }

    /// <summary>Parses an avcC record; throws <see cref="MediaFormatException"/> when it is malformed.</summary>
    public static AvcConfiguration Parse(ReadOnlySpan<byte> record)
    {
        if (record.Length < 7)
        {
            throw Malformed($"avcC record of {record.Length} bytes is shorter than its 7-byte minimum.");
        }

        if (record[0] != 1)
        {
            throw Malformed($"avcC configurationVersion is {record[0]}, expected 1.");
        }

        var nalLengthSize = (record[4] & 0x03) + 1;
        if (nalLengthSize == 3)
        {
            throw Malformed("avcC NAL length size of 3 bytes is not allowed.");
        }

        var position = 5;
        var sps = ReadList(record, ref position, record[5] & 0x1F, 7, "SPS");
        if (position >= record.Length)
        {
            throw Malformed("avcC record ends before the PPS count.");
        }

        var ppsCount = record[position];
        var pps = ReadList(record, ref position, ppsCount, 8, "PPS");
        if (sps.Count == 0 || pps.Count == 0)
        {
            throw Malformed($"avcC record holds {sps.Count} SPS and {pps.Count} PPS; at least one of each is needed.");
        }

        return new AvcConfiguration(record[0], record[1], record[2], record[3], nalLengthSize, sps, pps);
    }

    /// <summary>Builds a record from parameter sets; profile, compatibility and level come from the first SPS.</summary>
    public static AvcConfiguration Create(IReadOnlyList<byte[]> sequenceParameterSets, IReadOnlyList<byte[]> pictureParameterSets, int nalLengthSize = 4)
    {
        ArgumentNullException.ThrowIfNull(sequenceParameterSets);
        ArgumentNullException.ThrowIfNull(pictureParameterSets);
        if (nalLengthSize is not (1 or 2 or 4))
        {
            throw new ArgumentOutOfRangeException(nameof(nalLengthSize), nalLengthSize, "NAL length size must be 1, 2 or 4.");
        }

        CheckList(sequenceParameterSets, 7, nameof(sequenceParameterSets));
        CheckList(pictureParameterSets, 8, nameof(pictureParameterSets));
        var first = sequenceParameterSets[0];
        if (first.Length < 4)
        {
            throw new ArgumentException("The first SPS is too short to hold profile and level.", nameof(sequenceParameterSets));
        }

        return new AvcConfiguration(1, first[1], first[2], first[3], nalLengthSize, [.. sequenceParameterSets], [.. pictureParameterSets]);
    }

    /// <summary>
    /// The record of an H.264 <see cref="VideoFormat"/> (ISO/IEC 14496-15 clause 5.3.3.1): 4-byte NAL lengths,
    /// profile, constraint flags and level from <paramref name="parsed"/>, and for the high profiles the chroma format
    /// and bit depth extension. Throws <see cref="MediaFormatException"/> when the sets do not fit the record.
    /// </summary>
    internal static AvcConfiguration ForFormat(H264SequenceParameterSet parsed, IReadOnlyList<byte[]> sps, IReadOnlyList<byte[]> pps)
    {
        if (sps.Count is 0 or > MaxSetsPerList)
        {
            throw new MediaFormatException($"avcC holds 1 to 31 SPS, not {sps.Count}.");
        }

        if (pps.Count is 0 or > 255)
        {
            throw new MediaFormatException($"avcC holds 1 to 255 PPS, not {pps.Count}.");
        }

        foreach (var unit in sps.Concat(pps))
        {
            if (unit.Length is 0 or > ushort.MaxValue)
            {
                throw new MediaFormatException($"Parameter set length {unit.Length} does not fit avcC.");
            }
        }

        byte[]? extension = parsed.ProfileIdc is 100 or 110 or 122 or 144
            ?
            [
                (byte)(0xFC | parsed.ChromaFormatIdc),
                (byte)(0xF8 | (parsed.BitDepthLuma - 8)),
                (byte)(0xF8 | (parsed.BitDepthChroma - 8)),
                0, // numOfSequenceParameterSetExt
            ]
            : null;
        return new AvcConfiguration(1, (byte)parsed.ProfileIdc, parsed.ConstraintFlags, (byte)parsed.LevelIdc, 4, [.. sps], [.. pps], extension);
    }

    /// <summary>Length of the record <see cref="WriteTo"/> produces.</summary>
    public int EncodedLength =>
        7 + SequenceParameterSets.Sum(s => 2 + s.Length) + PictureParameterSets.Sum(p => 2 + p.Length) + (_highProfileExtension?.Length ?? 0);

    /// <summary>Writes the record and returns its length.</summary>
    public int WriteTo(Span<byte> destination)
    {
        var length = EncodedLength;
        if (destination.Length < length)
        {
            throw new ArgumentException($"The avcC record needs {length} bytes.", nameof(destination));
        }

        destination[0] = Version;
        destination[1] = Profile;
        destination[2] = Compatibility;
        destination[3] = Level;
        destination[4] = (byte)(0xFC | (NalLengthSize - 1));
        destination[5] = (byte)(0xE0 | SequenceParameterSets.Count);
        var position = 6;
        WriteList(destination, ref position, SequenceParameterSets);
        destination[position++] = (byte)PictureParameterSets.Count;
        WriteList(destination, ref position, PictureParameterSets);
        if (_highProfileExtension is not null)
        {
            _highProfileExtension.CopyTo(destination[position..]);
            position += _highProfileExtension.Length;
        }

        return position;
    }

    /// <summary>Returns the encoded record.</summary>
    public byte[] ToArray()
    {
        var result = new byte[EncodedLength];
        WriteTo(result);
        return result;
    }

    /// <summary>Returns all SPS then all PPS, each after an Annex-B start code <c>00 00 00 01</c>.</summary>
    public byte[] ToAnnexB() => Media.AnnexB.Join([.. SequenceParameterSets, .. PictureParameterSets]);

    private static List<byte[]> ReadList(ReadOnlySpan<byte> record, ref int position, int count, int nalType, string name)
    {
        position++;
        var list = new List<byte[]>(count);
        for (var i = 0; i < count; i++)
        {
            if (record.Length - position < 2)
            {
                throw Malformed($"avcC record ends inside the length of {name} {i}.");
            }

            var length = BinaryPrimitives.ReadUInt16BigEndian(record[position..]);
            position += 2;
            if (length == 0 || length > record.Length - position)
            {
                throw Malformed($"avcC {name} {i} length {length} does not fit the record.");
            }

            var nal = record.Slice(position, length);
            if ((nal[0] & 0x80) != 0 || (nal[0] & 0x1F) != nalType)
            {
                throw Malformed($"avcC {name} {i} has NAL header 0x{nal[0]:x2}, expected type {nalType}.");
            }

            list.Add(nal.ToArray());
            position += length;
        }

        return list;
    }

    private static void CheckList(IReadOnlyList<byte[]> sets, int nalType, string parameter)
    {
        if (sets.Count is 0 or > MaxSetsPerList)
        {
            throw new ArgumentException($"Between 1 and {MaxSetsPerList} parameter sets are needed.", parameter);
        }

        foreach (var set in sets)
        {
            if (set is null || set.Length is 0 or > ushort.MaxValue || (set[0] & 0x1F) != nalType)
            {
                throw new ArgumentException($"Every entry must be a NAL unit of type {nalType} up to 65535 bytes.", parameter);
            }
        }
    }

    private static void WriteList(Span<byte> destination, ref int position, IReadOnlyList<byte[]> sets)
    {
        foreach (var set in sets)
        {
            BinaryPrimitives.WriteUInt16BigEndian(destination[position..], (ushort)set.Length);
            set.CopyTo(destination[(position + 2)..]);
            position += 2 + set.Length;
        }
    }

    private static MediaFormatException Malformed(string message) => new(message);
}
