namespace Receiver.Core.Media;

/// <summary>Builds the AVCDecoderConfigurationRecord ('avcC', ISO/IEC 14496-15 clause 5.3.3.1) with 4-byte NAL lengths.</summary>
internal static class AvcDecoderConfigurationRecord
{
    public static byte[] Create(H264SequenceParameterSet parsed, IReadOnlyList<byte[]> sps, IReadOnlyList<byte[]> pps)
    {
        if (sps.Count is 0 or > 31)
        {
            throw new MediaFormatException($"avcC holds 1 to 31 SPS, not {sps.Count}.");
        }

        if (pps.Count is 0 or > 255)
        {
            throw new MediaFormatException($"avcC holds 1 to 255 PPS, not {pps.Count}.");
        }

        var record = new List<byte>(64)
        {
            1, // configurationVersion
            (byte)parsed.ProfileIdc,
            parsed.ConstraintFlags,
            (byte)parsed.LevelIdc,
            0xFF, // reserved '111111' + lengthSizeMinusOne = 3
            (byte)(0xE0 | sps.Count),
        };
        AddAll(record, sps);
        record.Add((byte)pps.Count);
        AddAll(record, pps);
        if (parsed.ProfileIdc is 100 or 110 or 122 or 144)
        {
            record.Add((byte)(0xFC | parsed.ChromaFormatIdc));
            record.Add((byte)(0xF8 | (parsed.BitDepthLuma - 8)));
            record.Add((byte)(0xF8 | (parsed.BitDepthChroma - 8)));
            record.Add(0); // numOfSequenceParameterSetExt
        }

        return [.. record];
    }

    private static void AddAll(List<byte> record, IReadOnlyList<byte[]> units)
    {
        foreach (var unit in units)
        {
            if (unit.Length is 0 or > ushort.MaxValue)
            {
                throw new MediaFormatException($"Parameter set length {unit.Length} does not fit avcC.");
            }

            record.Add((byte)(unit.Length >> 8));
            record.Add((byte)unit.Length);
            record.AddRange(unit);
        }
    }
}
