using System.Globalization;
using System.Text;

namespace Receiver.Core.Media;

/// <summary>
/// Everything a decoder needs before the first access unit: codec, displayed size, the RFC 6381 codec string
/// for <c>MediaSource.isTypeSupported</c> / WebCodecs, the decoder configuration record (avcC or hvcC) and the
/// parameter set NAL units it was built from (VPS, SPS, PPS in that order, without start codes).
/// </summary>
public sealed record VideoFormat(
    VideoCodec Codec,
    int Width,
    int Height,
    string CodecString,
    ReadOnlyMemory<byte> DecoderConfiguration,
    IReadOnlyList<ReadOnlyMemory<byte>> ParameterSets)
{
    /// <summary>Builds an H.264 format from SPS and PPS NAL units; the first SPS determines profile, level and size.</summary>
    public static VideoFormat FromH264(IReadOnlyList<byte[]> sps, IReadOnlyList<byte[]> pps)
    {
        ArgumentNullException.ThrowIfNull(sps);
        ArgumentNullException.ThrowIfNull(pps);
        if (sps.Count == 0 || pps.Count == 0)
        {
            throw new MediaFormatException("H.264 format needs at least one SPS and one PPS.");
        }

        var parsed = H264SequenceParameterSet.Parse(sps[0]);
        var avcC = AvcConfiguration.ForFormat(parsed, sps, pps).ToArray();
        var codecString = string.Create(CultureInfo.InvariantCulture, $"avc1.{parsed.ProfileIdc:X2}{parsed.ConstraintFlags:X2}{parsed.LevelIdc:X2}");
        return new VideoFormat(VideoCodec.H264, parsed.Width, parsed.Height, codecString, avcC, Collect(sps, pps));
    }

    /// <summary>Builds an H.265 format from VPS, SPS and PPS NAL units; the first SPS determines profile, level and size.</summary>
    public static VideoFormat FromH265(IReadOnlyList<byte[]> vps, IReadOnlyList<byte[]> sps, IReadOnlyList<byte[]> pps)
    {
        ArgumentNullException.ThrowIfNull(vps);
        ArgumentNullException.ThrowIfNull(sps);
        ArgumentNullException.ThrowIfNull(pps);
        if (vps.Count == 0 || sps.Count == 0 || pps.Count == 0)
        {
            throw new MediaFormatException("H.265 format needs at least one VPS, SPS and PPS.");
        }

        var parsed = H265SequenceParameterSet.Parse(sps[0]);
        var hvcC = HevcConfiguration.ForFormat(parsed, vps, sps, pps).ToArray();
        return new VideoFormat(VideoCodec.H265, parsed.Width, parsed.Height, HevcCodecString(parsed), hvcC, Collect(vps, sps, pps));
    }

    /// <summary>
    /// For H.264, the same format with every SPS rewritten by <see cref="H264SpsRewriter"/> so that browsers
    /// output each picture immediately. Only for streams without B-frames. H.265 formats are returned unchanged.
    /// </summary>
    public VideoFormat WithLowDecoderDelay()
    {
        if (Codec != VideoCodec.H264)
        {
            return this;
        }

        var sps = new List<byte[]>();
        var pps = new List<byte[]>();
        foreach (var unit in ParameterSets)
        {
            var type = unit.Span[0] & 0x1F;
            if (type == 7)
            {
                sps.Add(H264SpsRewriter.WithBitstreamRestriction(unit.Span));
            }
            else if (type == 8)
            {
                pps.Add(unit.ToArray());
            }
        }

        return FromH264(sps, pps);
    }

    /// <summary>The codec string per ISO/IEC 14496-15 Annex E, e.g. <c>hvc1.1.6.L93.B0</c>.</summary>
    internal static string HevcCodecString(H265SequenceParameterSet sps)
    {
        var builder = new StringBuilder("hvc1.");
        if (sps.GeneralProfileSpace > 0)
        {
            builder.Append((char)('A' + sps.GeneralProfileSpace - 1));
        }

        var reversed = 0u;
        for (var i = 0; i < 32; i++)
        {
            reversed |= ((sps.GeneralProfileCompatibilityFlags >> i) & 1) << (31 - i);
        }

        builder.Append(CultureInfo.InvariantCulture, $"{sps.GeneralProfileIdc}.{reversed:X}.{(sps.GeneralTierFlag ? 'H' : 'L')}{sps.GeneralLevelIdc}");
        var constraints = sps.GeneralConstraintIndicatorFlags.Span;
        var last = constraints.Length - 1;
        while (last >= 0 && constraints[last] == 0)
        {
            last--;
        }

        for (var i = 0; i <= last; i++)
        {
            builder.Append(CultureInfo.InvariantCulture, $".{constraints[i]:X2}");
        }

        return builder.ToString();
    }

    private static ReadOnlyMemory<byte>[] Collect(params IReadOnlyList<byte[]>[] groups)
    {
        var all = new List<ReadOnlyMemory<byte>>();
        foreach (var group in groups)
        {
            foreach (var unit in group)
            {
                all.Add(unit.ToArray());
            }
        }

        return [.. all];
    }
}
