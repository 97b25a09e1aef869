using System.Buffers.Binary;

namespace Receiver.Core.Media;

/// <summary>
/// The H.264/H.265 Annex B byte stream format (NAL units separated by 0x000001 start codes): splitting into
/// NAL units, grouping NAL units into access units, and conversion to the AVCC length-prefixed form.
/// </summary>
public static class AnnexB
{
    /// <summary>The 4-byte start code written before each NAL unit.</summary>
    public static ReadOnlySpan<byte> StartCode => [0, 0, 0, 1];

    /// <summary>Concatenates NAL units, each after a 4-byte start code.</summary>
    public static byte[] Join(IReadOnlyList<byte[]> nalUnits)
    {
        ArgumentNullException.ThrowIfNull(nalUnits);
        var result = new byte[nalUnits.Sum(n => StartCode.Length + n.Length)];
        var position = 0;
        foreach (var nal in nalUnits)
        {
            StartCode.CopyTo(result.AsSpan(position));
            nal.CopyTo(result, position + StartCode.Length);
            position += StartCode.Length + nal.Length;
        }

        return result;
    }

    /// <summary>Splits a byte stream into NAL units (without start codes; slices of <paramref name="stream"/>).</summary>
    public static IReadOnlyList<ReadOnlyMemory<byte>> SplitNalUnits(ReadOnlyMemory<byte> stream)
    {
        var units = new List<ReadOnlyMemory<byte>>();
        var span = stream.Span;
        var start = -1;
        var i = 0;
        while (i + 2 < span.Length)
        {
            var found = span[i..].IndexOf((ReadOnlySpan<byte>)[0, 0, 1]);
            if (found < 0)
            {
                break;
            }

            var codeAt = i + found;
            if (start >= 0)
            {
                AddTrimmed(units, stream, start, codeAt);
            }

            start = codeAt + 3;
            i = start;
        }

        if (start >= 0)
        {
            AddTrimmed(units, stream, start, span.Length);
        }

        return units;
    }

    /// <summary>
    /// Groups NAL units into access units: a new access unit begins at an access unit delimiter, a parameter
    /// set or prefix SEI, or the first slice of a picture (first_mb_in_slice = 0 / first_slice_segment_in_pic_flag)
    /// once the current access unit already holds a picture's slice.
    /// </summary>
    public static IReadOnlyList<IReadOnlyList<ReadOnlyMemory<byte>>> SplitAccessUnits(ReadOnlyMemory<byte> stream, VideoCodec codec)
    {
        var units = new List<IReadOnlyList<ReadOnlyMemory<byte>>>();
        var current = new List<ReadOnlyMemory<byte>>();
        var hasPicture = false;
        foreach (var nal in SplitNalUnits(stream))
        {
            var span = nal.Span;
            var startsPicture = IsFirstSliceOfPicture(span, codec);
            var isPrefix = IsAccessUnitPrefix(span, codec);
            if (hasPicture && (startsPicture || isPrefix))
            {
                units.Add(current);
                current = [];
                hasPicture = false;
            }

            current.Add(nal);
            hasPicture |= IsSlice(span, codec);
        }

        if (current.Count > 0 && hasPicture)
        {
            units.Add(current);
        }

        return units;
    }

    /// <summary>Writes NAL units as AVCC: each preceded by its length as a 4-byte big-endian integer.</summary>
    public static byte[] ToAvcc(IEnumerable<ReadOnlyMemory<byte>> nalUnits)
    {
        ArgumentNullException.ThrowIfNull(nalUnits);
        var list = nalUnits as IReadOnlyCollection<ReadOnlyMemory<byte>> ?? [.. nalUnits];
        var total = 0;
        foreach (var nal in list)
        {
            total += 4 + nal.Length;
        }

        var output = new byte[total];
        var offset = 0;
        foreach (var nal in list)
        {
            BinaryPrimitives.WriteInt32BigEndian(output.AsSpan(offset), nal.Length);
            nal.Span.CopyTo(output.AsSpan(offset + 4));
            offset += 4 + nal.Length;
        }

        return output;
    }

    /// <summary>The NAL unit type: 5 bits for H.264, 6 bits for H.265.</summary>
    public static int NalUnitType(ReadOnlySpan<byte> nal, VideoCodec codec) => NalUnit.Type(nal, codec);

    /// <summary>True for a coded slice of a picture.</summary>
    public static bool IsSlice(ReadOnlySpan<byte> nal, VideoCodec codec) => NalUnit.IsSlice(nal, codec);

    /// <summary>True for a slice of a random access picture (H.264 IDR, H.265 IRAP); see <see cref="NalUnit.IsKeyframe"/>.</summary>
    public static bool IsKeyframeSlice(ReadOnlySpan<byte> nal, VideoCodec codec) => NalUnit.IsKeyframe(nal, codec);

    /// <summary>True for VPS/SPS/PPS NAL units.</summary>
    public static bool IsParameterSet(ReadOnlySpan<byte> nal, VideoCodec codec) => NalUnit.IsParameterSet(nal, codec);

    private static bool IsFirstSliceOfPicture(ReadOnlySpan<byte> nal, VideoCodec codec)
    {
        if (!IsSlice(nal, codec))
        {
            return false;
        }

        // first_mb_in_slice is ue(v): the value 0 is coded as a single '1' bit. The H.265 flag is one bit.
        var headerLength = codec == VideoCodec.H264 ? 1 : 2;
        return nal.Length > headerLength && (nal[headerLength] & 0x80) != 0;
    }

    private static bool IsAccessUnitPrefix(ReadOnlySpan<byte> nal, VideoCodec codec)
    {
        var type = NalUnitType(nal, codec);
        return codec == VideoCodec.H264 ? type is 6 or 7 or 8 or 9 : type is 32 or 33 or 34 or 35 or 39;
    }

    private static void AddTrimmed(List<ReadOnlyMemory<byte>> units, ReadOnlyMemory<byte> stream, int start, int end)
    {
        var span = stream.Span;
        while (end > start && span[end - 1] == 0)
        {
            end--;
        }

        if (end > start)
        {
            units.Add(stream[start..end]);
        }
    }
}
