namespace Receiver.Core.Media;

/// <summary>Builds the HEVCDecoderConfigurationRecord ('hvcC', ISO/IEC 14496-15 clause 8.3.3.1) with 4-byte NAL lengths.</summary>
internal static class HevcDecoderConfigurationRecord
{
    public static byte[] Create(H265SequenceParameterSet parsed, IReadOnlyList<byte[]> vps, IReadOnlyList<byte[]> sps, IReadOnlyList<byte[]> pps)
    {
        var record = new List<byte>(128)
        {
            1, // configurationVersion
            (byte)((parsed.GeneralProfileSpace << 6) | (parsed.GeneralTierFlag ? 0x20 : 0) | parsed.GeneralProfileIdc),
            (byte)(parsed.GeneralProfileCompatibilityFlags >> 24),
            (byte)(parsed.GeneralProfileCompatibilityFlags >> 16),
            (byte)(parsed.GeneralProfileCompatibilityFlags >> 8),
            (byte)parsed.GeneralProfileCompatibilityFlags,
        };
        record.AddRange(parsed.GeneralConstraintIndicatorFlags.Span);
        record.Add((byte)parsed.GeneralLevelIdc);
        record.Add(0xF0); // reserved '1111' + min_spatial_segmentation_idc = 0
        record.Add(0x00);
        record.Add(0xFC); // reserved '111111' + parallelismType = 0 (unknown)
        record.Add((byte)(0xFC | parsed.ChromaFormatIdc));
        record.Add((byte)(0xF8 | (parsed.BitDepthLuma - 8)));
        record.Add((byte)(0xF8 | (parsed.BitDepthChroma - 8)));
        record.Add(0); // avgFrameRate = 0 (unspecified)
        record.Add(0);

        // constantFrameRate = 0, numTemporalLayers, temporalIdNested, lengthSizeMinusOne = 3
        record.Add((byte)((parsed.MaxSubLayers << 3) | (parsed.TemporalIdNesting ? 0x04 : 0) | 0x03));
        record.Add(3); // numOfArrays
        AddArray(record, 32, vps);
        AddArray(record, 33, sps);
        AddArray(record, 34, pps);
        return [.. record];
    }

    private static void AddArray(List<byte> record, int nalType, IReadOnlyList<byte[]> units)
    {
        if (units.Count is 0 or > ushort.MaxValue)
        {
            throw new MediaFormatException($"hvcC array for NAL type {nalType} needs at least one unit.");
        }

        record.Add((byte)(0x80 | nalType)); // array_completeness = 1
        record.Add((byte)(units.Count >> 8));
        record.Add((byte)units.Count);
        foreach (var unit in units)
        {
            if (unit.Length is 0 or > ushort.MaxValue)
            {
                throw new MediaFormatException($"Parameter set length {unit.Length} does not fit hvcC.");
            }

            record.Add((byte)(unit.Length >> 8));
            record.Add((byte)unit.Length);
            record.AddRange(unit);
        }
    }
}
