namespace Receiver.Core.Media;

/// <summary>
/// The leading fields of an H.265 sequence parameter set (ITU-T H.265 clause 7.3.2.2): the general
/// profile_tier_level (for hvcC and the codec string), chroma format, picture size after the conformance
/// window and bit depths. Pure; throws <see cref="MediaFormatException"/> on malformed input.
/// </summary>
public sealed class H265SequenceParameterSet
{
    private H265SequenceParameterSet()
    {
    }

    public int VpsId { get; private init; }

    public int MaxSubLayers { get; private init; }

    public bool TemporalIdNesting { get; private init; }

    public int GeneralProfileSpace { get; private init; }

    public bool GeneralTierFlag { get; private init; }

    public int GeneralProfileIdc { get; private init; }

    public uint GeneralProfileCompatibilityFlags { get; private init; }

    /// <summary>The 48 bits from general_progressive_source_flag on, as six bytes.</summary>
    public ReadOnlyMemory<byte> GeneralConstraintIndicatorFlags { get; private init; }

    public int GeneralLevelIdc { get; private init; }

    public int SeqParameterSetId { get; private init; }

    public int ChromaFormatIdc { get; private init; }

    public int CodedWidth { get; private init; }

    public int CodedHeight { get; private init; }

    public int Width { get; private init; }

    public int Height { get; private init; }

    public int BitDepthLuma { get; private init; }

    public int BitDepthChroma { get; private init; }

    /// <summary>Parses an SPS NAL unit starting with its two-byte NAL header.</summary>
    public static H265SequenceParameterSet Parse(ReadOnlySpan<byte> nalUnit)
    {
        var rbsp = Rbsp.Unescape(nalUnit);
        if (rbsp.Length < 15)
        {
            throw new MediaFormatException("H.265 SPS is shorter than 15 bytes.");
        }

        if (((rbsp[0] >> 1) & 0x3F) != 33)
        {
            throw new MediaFormatException($"NAL unit type {(rbsp[0] >> 1) & 0x3F} is not an H.265 SPS.");
        }

        var r = new RbspBitReader(rbsp, 16);
        var vpsId = (int)r.ReadBits(4);
        var maxSubLayersMinus1 = (int)r.ReadBits(3);
        if (maxSubLayersMinus1 > 6)
        {
            throw new MediaFormatException("sps_max_sub_layers_minus1 exceeds 6.");
        }

        var nesting = r.ReadFlag();
        var profileSpace = (int)r.ReadBits(2);
        var tier = r.ReadFlag();
        var profileIdc = (int)r.ReadBits(5);
        var compatibility = r.ReadBits(32);
        var constraints = new byte[6];
        for (var i = 0; i < constraints.Length; i++)
        {
            constraints[i] = (byte)r.ReadBits(8);
        }

        var levelIdc = (int)r.ReadBits(8);
        SkipSubLayers(r, maxSubLayersMinus1);

        var spsId = r.ReadUe(15, "sps_seq_parameter_set_id");
        var chromaFormat = r.ReadUe(3, "chroma_format_idc");
        var separateColourPlane = chromaFormat == 3 && r.ReadFlag();
        var codedWidth = r.ReadUe(16888, "pic_width_in_luma_samples");
        var codedHeight = r.ReadUe(16888, "pic_height_in_luma_samples");
        if (codedWidth == 0 || codedHeight == 0)
        {
            throw new MediaFormatException("H.265 picture size is zero.");
        }

        int left = 0, right = 0, top = 0, bottom = 0;
        if (r.ReadFlag())
        {
            left = r.ReadUe(16888, "conf_win_left_offset");
            right = r.ReadUe(16888, "conf_win_right_offset");
            top = r.ReadUe(16888, "conf_win_top_offset");
            bottom = r.ReadUe(16888, "conf_win_bottom_offset");
        }

        var chromaArrayType = separateColourPlane ? 0 : chromaFormat;
        var subWidth = chromaArrayType is 1 or 2 ? 2 : 1;
        var subHeight = chromaArrayType == 1 ? 2 : 1;
        var width = codedWidth - (subWidth * (left + right));
        var height = codedHeight - (subHeight * (top + bottom));
        if (width <= 0 || height <= 0)
        {
            throw new MediaFormatException($"Conformance window leaves no picture ({width}x{height}).");
        }

        var bitDepthLuma = r.ReadUe(8, "bit_depth_luma_minus8") + 8;
        var bitDepthChroma = r.ReadUe(8, "bit_depth_chroma_minus8") + 8;
        return new H265SequenceParameterSet
        {
            VpsId = vpsId,
            MaxSubLayers = maxSubLayersMinus1 + 1,
            TemporalIdNesting = nesting,
            GeneralProfileSpace = profileSpace,
            GeneralTierFlag = tier,
            GeneralProfileIdc = profileIdc,
            GeneralProfileCompatibilityFlags = compatibility,
            GeneralConstraintIndicatorFlags = constraints,
            GeneralLevelIdc = levelIdc,
            SeqParameterSetId = spsId,
            ChromaFormatIdc = chromaFormat,
            CodedWidth = codedWidth,
            CodedHeight = codedHeight,
            Width = width,
            Height = height,
            BitDepthLuma = bitDepthLuma,
            BitDepthChroma = bitDepthChroma,
        };
    }

    private static void SkipSubLayers(RbspBitReader r, int maxSubLayersMinus1)
    {
        Span<bool> profilePresent = stackalloc bool[8];
        Span<bool> levelPresent = stackalloc bool[8];
        for (var i = 0; i < maxSubLayersMinus1; i++)
        {
            profilePresent[i] = r.ReadFlag();
            levelPresent[i] = r.ReadFlag();
        }

        if (maxSubLayersMinus1 > 0)
        {
            r.Skip(2 * (8 - maxSubLayersMinus1)); // reserved_zero_2bits
        }

        for (var i = 0; i < maxSubLayersMinus1; i++)
        {
            if (profilePresent[i])
            {
                r.Skip(88);
            }

            if (levelPresent[i])
            {
                r.Skip(8);
            }
        }
    }
}
