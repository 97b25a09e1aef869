namespace Receiver.Core.Media;

/// <summary>
/// Rewrites an H.264 SPS so that a browser's decoder outputs every picture as soon as it is decoded.
/// Without VUI bitstream_restriction a decoder must assume the worst-case reorder depth and may hold a full
/// decoded picture buffer (about 250 ms at 60 fps) before showing the first frame. The rewritten SPS carries
/// bitstream_restriction with max_num_reorder_frames = 0 and max_dec_frame_buffering = max(1, max_num_ref_frames)
/// (the standard forbids a value below max_num_ref_frames). Every other syntax element is copied bit for bit,
/// so the decoded pictures are identical. Only valid for streams without B-frames (output order = decode order).
/// </summary>
public static class H264SpsRewriter
{
    /// <summary>Returns the SPS NAL unit (header byte included, emulation prevention applied) with bitstream restriction.</summary>
    public static byte[] WithBitstreamRestriction(ReadOnlySpan<byte> sps)
    {
        var rbsp = Rbsp.Unescape(sps);
        var parsed = H264SequenceParameterSet.ParseRbsp(rbsp);
        var w = new RbspBitWriter();
        if (parsed.VuiParametersPresent)
        {
            w.CopyBits(rbsp, 0, parsed.BitstreamRestrictionFlagBitPosition);
        }
        else
        {
            w.CopyBits(rbsp, 0, parsed.VuiFlagBitPosition);
            w.WriteFlag(true); // vui_parameters_present_flag

            // aspect_ratio_info, overscan_info, video_signal_type, chroma_loc_info, timing_info,
            // nal_hrd_parameters, vcl_hrd_parameters and pic_struct present flags: all absent.
            w.WriteBits(0, 8);
        }

        w.WriteFlag(true); // bitstream_restriction_flag
        w.WriteFlag(parsed.MotionVectorsOverPicBoundaries);
        w.WriteUe((uint)parsed.MaxBytesPerPicDenom);
        w.WriteUe((uint)parsed.MaxBitsPerMbDenom);
        w.WriteUe((uint)parsed.Log2MaxMvLengthHorizontal);
        w.WriteUe((uint)parsed.Log2MaxMvLengthVertical);
        w.WriteUe(0); // max_num_reorder_frames
        w.WriteUe((uint)Math.Max(1, parsed.MaxNumRefFrames)); // max_dec_frame_buffering
        return Rbsp.Escape(w.ToArrayWithTrailingBits());
    }
}
