namespace Receiver.Core.Media;

/// <summary>
/// The fields of an H.264 sequence parameter set (ITU-T H.264 clause 7.3.2.1.1 and Annex E VUI) that a
/// receiver needs: profile and level for the codec string, picture size after cropping, reference and
/// reordering limits. <see cref="Parse"/> is pure and throws <see cref="MediaFormatException"/> on any
/// malformed or truncated input.
/// </summary>
public sealed class H264SequenceParameterSet
{
    private const int MaxPictureSizeInMacroblocks = 1024; // 16384 samples

    private H264SequenceParameterSet()
    {
    }

    public int ProfileIdc { get; private init; }

    /// <summary>The byte holding constraint_set0..5 flags and the two reserved bits, as in the codec string.</summary>
    public byte ConstraintFlags { get; private init; }

    public int LevelIdc { get; private init; }

    public int SeqParameterSetId { get; private init; }

    /// <summary>0 = monochrome, 1 = 4:2:0, 2 = 4:2:2, 3 = 4:4:4.</summary>
    public int ChromaFormatIdc { get; private init; } = 1;

    public bool SeparateColourPlane { get; private init; }

    public int BitDepthLuma { get; private init; } = 8;

    public int BitDepthChroma { get; private init; } = 8;

    public int Log2MaxFrameNum { get; private init; }

    public int PicOrderCntType { get; private init; }

    public int MaxNumRefFrames { get; private init; }

    public bool FrameMbsOnly { get; private init; }

    public int CodedWidth { get; private init; }

    public int CodedHeight { get; private init; }

    /// <summary>Displayed width after the frame cropping rectangle.</summary>
    public int Width { get; private init; }

    /// <summary>Displayed height after the frame cropping rectangle.</summary>
    public int Height { get; private init; }

    public bool VuiParametersPresent { get; private init; }

    public bool TimingInfoPresent { get; private init; }

    public uint NumUnitsInTick { get; private init; }

    public uint TimeScale { get; private init; }

    public bool BitstreamRestrictionPresent { get; private init; }

    /// <summary>max_num_reorder_frames from the VUI, or null when the SPS has no bitstream restriction.</summary>
    public int? MaxNumReorderFrames { get; private init; }

    /// <summary>max_dec_frame_buffering from the VUI, or null when the SPS has no bitstream restriction.</summary>
    public int? MaxDecFrameBuffering { get; private init; }

    /// <summary>Bit offset (from the NAL header) of vui_parameters_present_flag.</summary>
    internal int VuiFlagBitPosition { get; private init; }

    /// <summary>Bit offset of bitstream_restriction_flag, or -1 without VUI.</summary>
    internal int BitstreamRestrictionFlagBitPosition { get; private init; } = -1;

    internal bool MotionVectorsOverPicBoundaries { get; private init; } = true;

    internal int MaxBytesPerPicDenom { get; private init; } = 2;

    internal int MaxBitsPerMbDenom { get; private init; } = 1;

    internal int Log2MaxMvLengthHorizontal { get; private init; } = 15;

    internal int Log2MaxMvLengthVertical { get; private init; } = 15;

    /// <summary>True for the profiles whose SPS carries chroma_format_idc and bit depths.</summary>
    public static bool IsHighProfile(int profileIdc) => profileIdc is 100 or 110 or 122 or 244 or 44 or 83 or 86 or 118 or 128 or 138 or 139 or 134 or 135;

    /// <summary>Parses an SPS NAL unit (starting with its one-byte NAL header, emulation prevention bytes included).</summary>
    public static H264SequenceParameterSet Parse(ReadOnlySpan<byte> nalUnit) => ParseRbsp(Rbsp.Unescape(nalUnit));

    internal static H264SequenceParameterSet ParseRbsp(byte[] rbsp)
    {
        if (rbsp.Length < 4)
        {
            throw new MediaFormatException("H.264 SPS is shorter than 4 bytes.");
        }

        if ((rbsp[0] & 0x1F) != 7 || (rbsp[0] & 0x80) != 0)
        {
            throw new MediaFormatException($"NAL unit type {rbsp[0] & 0x1F} is not an H.264 SPS.");
        }

        var r = new RbspBitReader(rbsp, 8);
        var profile = (int)r.ReadBits(8);
        var constraints = (byte)r.ReadBits(8);
        var level = (int)r.ReadBits(8);
        var spsId = r.ReadUe(31, "seq_parameter_set_id");

        var chromaFormat = 1;
        var separateColourPlane = false;
        var bitDepthLuma = 8;
        var bitDepthChroma = 8;
        if (IsHighProfile(profile))
        {
            chromaFormat = r.ReadUe(3, "chroma_format_idc");
            if (chromaFormat == 3)
            {
                separateColourPlane = r.ReadFlag();
            }

            bitDepthLuma = r.ReadUe(6, "bit_depth_luma_minus8") + 8;
            bitDepthChroma = r.ReadUe(6, "bit_depth_chroma_minus8") + 8;
            r.Skip(1); // qpprime_y_zero_transform_bypass_flag
            if (r.ReadFlag())
            {
                var lists = chromaFormat != 3 ? 8 : 12;
                for (var i = 0; i < lists; i++)
                {
                    if (r.ReadFlag())
                    {
                        SkipScalingList(r, i < 6 ? 16 : 64);
                    }
                }
            }
        }

        var log2MaxFrameNum = r.ReadUe(12, "log2_max_frame_num_minus4") + 4;
        var pocType = r.ReadUe(2, "pic_order_cnt_type");
        if (pocType == 0)
        {
            r.ReadUe(12, "log2_max_pic_order_cnt_lsb_minus4");
        }
        else if (pocType == 1)
        {
            r.Skip(1); // delta_pic_order_always_zero_flag
            r.ReadSe(); // offset_for_non_ref_pic
            r.ReadSe(); // offset_for_top_to_bottom_field
            var cycle = r.ReadUe(255, "num_ref_frames_in_pic_order_cnt_cycle");
            for (var i = 0; i < cycle; i++)
            {
                r.ReadSe();
            }
        }

        var maxRefFrames = r.ReadUe(16, "max_num_ref_frames");
        r.Skip(1); // gaps_in_frame_num_value_allowed_flag
        var widthMbs = r.ReadUe(MaxPictureSizeInMacroblocks - 1, "pic_width_in_mbs_minus1") + 1;
        var heightMapUnits = r.ReadUe(MaxPictureSizeInMacroblocks - 1, "pic_height_in_map_units_minus1") + 1;
        var frameMbsOnly = r.ReadFlag();
        if (!frameMbsOnly)
        {
            r.Skip(1); // mb_adaptive_frame_field_flag
        }

        r.Skip(1); // direct_8x8_inference_flag
        int cropLeft = 0, cropRight = 0, cropTop = 0, cropBottom = 0;
        if (r.ReadFlag())
        {
            cropLeft = r.ReadUe(16384, "frame_crop_left_offset");
            cropRight = r.ReadUe(16384, "frame_crop_right_offset");
            cropTop = r.ReadUe(16384, "frame_crop_top_offset");
            cropBottom = r.ReadUe(16384, "frame_crop_bottom_offset");
        }

        var codedWidth = widthMbs * 16;
        var codedHeight = (frameMbsOnly ? 1 : 2) * heightMapUnits * 16;
        var chromaArrayType = separateColourPlane ? 0 : chromaFormat;
        var cropUnitX = chromaArrayType is 1 or 2 ? 2 : 1;
        var cropUnitY = (chromaArrayType == 1 ? 2 : 1) * (frameMbsOnly ? 1 : 2);
        var width = codedWidth - (cropUnitX * (cropLeft + cropRight));
        var height = codedHeight - (cropUnitY * (cropTop + cropBottom));
        if (width <= 0 || height <= 0)
        {
            throw new MediaFormatException($"Frame cropping leaves no picture ({width}x{height}).");
        }

        var vuiFlagPosition = r.BitPosition;
        var vui = r.ReadFlag() ? ParseVui(r) : default;
        return new H264SequenceParameterSet
        {
            ProfileIdc = profile,
            ConstraintFlags = constraints,
            LevelIdc = level,
            SeqParameterSetId = spsId,
            ChromaFormatIdc = chromaFormat,
            SeparateColourPlane = separateColourPlane,
            BitDepthLuma = bitDepthLuma,
            BitDepthChroma = bitDepthChroma,
            Log2MaxFrameNum = log2MaxFrameNum,
            PicOrderCntType = pocType,
            MaxNumRefFrames = maxRefFrames,
            FrameMbsOnly = frameMbsOnly,
            CodedWidth = codedWidth,
            CodedHeight = codedHeight,
            Width = width,
            Height = height,
            VuiFlagBitPosition = vuiFlagPosition,
            VuiParametersPresent = vui.Present,
            TimingInfoPresent = vui.TimingPresent,
            NumUnitsInTick = vui.NumUnitsInTick,
            TimeScale = vui.TimeScale,
            BitstreamRestrictionFlagBitPosition = vui.Present ? vui.RestrictionFlagPosition : -1,
            BitstreamRestrictionPresent = vui.RestrictionPresent,
            MotionVectorsOverPicBoundaries = !vui.RestrictionPresent || vui.MotionVectorsOverPicBoundaries,
            MaxBytesPerPicDenom = vui.RestrictionPresent ? vui.MaxBytesPerPicDenom : 2,
            MaxBitsPerMbDenom = vui.RestrictionPresent ? vui.MaxBitsPerMbDenom : 1,
            Log2MaxMvLengthHorizontal = vui.RestrictionPresent ? vui.Log2MaxMvLengthHorizontal : 15,
            Log2MaxMvLengthVertical = vui.RestrictionPresent ? vui.Log2MaxMvLengthVertical : 15,
            MaxNumReorderFrames = vui.RestrictionPresent ? vui.MaxNumReorderFrames : null,
            MaxDecFrameBuffering = vui.RestrictionPresent ? vui.MaxDecFrameBuffering : null,
        };
    }

    private static VuiFields ParseVui(RbspBitReader r)
    {
        if (r.ReadFlag())
        {
            // aspect_ratio_info_present_flag
            if (r.ReadBits(8) == 255)
            {
                r.Skip(32); // sar_width, sar_height
            }
        }

        if (r.ReadFlag())
        {
            r.Skip(1); // overscan_appropriate_flag
        }

        if (r.ReadFlag())
        {
            r.Skip(4); // video_format, video_full_range_flag
            if (r.ReadFlag())
            {
                r.Skip(24); // colour_primaries, transfer_characteristics, matrix_coefficients
            }
        }

        if (r.ReadFlag())
        {
            r.ReadUe(5, "chroma_sample_loc_type_top_field");
            r.ReadUe(5, "chroma_sample_loc_type_bottom_field");
        }

        var vui = new VuiFields { Present = true };
        if (r.ReadFlag())
        {
            vui.TimingPresent = true;
            vui.NumUnitsInTick = r.ReadBits(32);
            vui.TimeScale = r.ReadBits(32);
            r.Skip(1); // fixed_frame_rate_flag
        }

        var nalHrd = r.ReadFlag();
        if (nalHrd)
        {
            SkipHrdParameters(r);
        }

        var vclHrd = r.ReadFlag();
        if (vclHrd)
        {
            SkipHrdParameters(r);
        }

        if (nalHrd || vclHrd)
        {
            r.Skip(1); // low_delay_hrd_flag
        }

        r.Skip(1); // pic_struct_present_flag
        vui.RestrictionFlagPosition = r.BitPosition;
        if (!r.ReadFlag())
        {
            return vui;
        }

        vui.RestrictionPresent = true;
        vui.MotionVectorsOverPicBoundaries = r.ReadFlag();
        vui.MaxBytesPerPicDenom = r.ReadUe(16, "max_bytes_per_pic_denom");
        vui.MaxBitsPerMbDenom = r.ReadUe(16, "max_bits_per_mb_denom");
        vui.Log2MaxMvLengthHorizontal = r.ReadUe(16, "log2_max_mv_length_horizontal");
        vui.Log2MaxMvLengthVertical = r.ReadUe(16, "log2_max_mv_length_vertical");
        vui.MaxNumReorderFrames = r.ReadUe(16, "max_num_reorder_frames");
        vui.MaxDecFrameBuffering = r.ReadUe(16, "max_dec_frame_buffering");
        return vui;
    }

    private static void SkipScalingList(RbspBitReader r, int size)
    {
        var last = 8;
        var next = 8;
        for (var j = 0; j < size && next != 0; j++)
        {
            var delta = r.ReadSe();
            if (delta is < -128 or > 127)
            {
                throw new MediaFormatException($"delta_scale {delta} out of range.");
            }

            next = (last + delta + 256) % 256;
            last = next == 0 ? last : next;
        }
    }

    private static void SkipHrdParameters(RbspBitReader r)
    {
        var cpbCount = r.ReadUe(31, "cpb_cnt_minus1") + 1;
        r.Skip(8); // bit_rate_scale, cpb_size_scale
        for (var i = 0; i < cpbCount; i++)
        {
            r.ReadUe(); // bit_rate_value_minus1
            r.ReadUe(); // cpb_size_value_minus1
            r.Skip(1); // cbr_flag
        }

        r.Skip(20); // four 5-bit delay/length fields
    }

    private struct VuiFields
    {
        public bool Present;
        public bool TimingPresent;
        public uint NumUnitsInTick;
        public uint TimeScale;
        public int RestrictionFlagPosition;
        public bool RestrictionPresent;
        public bool MotionVectorsOverPicBoundaries;
        public int MaxBytesPerPicDenom;
        public int MaxBitsPerMbDenom;
        public int Log2MaxMvLengthHorizontal;
        public int Log2MaxMvLengthVertical;
        public int MaxNumReorderFrames;
        public int MaxDecFrameBuffering;
    }
}
