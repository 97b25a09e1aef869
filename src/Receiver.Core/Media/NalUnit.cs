namespace Receiver.Core.Media;

/// <summary>
/// The NAL unit header rules of H.264 and H.265 that the receiver relies on, in one place: the unit type, slices,
/// parameter sets and random access (keyframe) slices.
/// </summary>
public static class NalUnit
{
    /// <summary>The NAL unit type: 5 bits for H.264, 6 bits for H.265; -1 for an empty unit.</summary>
    public static int Type(ReadOnlySpan<byte> nal, VideoCodec codec) =>
        nal.IsEmpty ? -1 : codec == VideoCodec.H264 ? nal[0] & 0x1F : (nal[0] >> 1) & 0x3F;

    /// <summary>True for a coded slice of a picture.</summary>
    public static bool IsSlice(ReadOnlySpan<byte> nal, VideoCodec codec)
    {
        var type = Type(nal, codec);
        return codec == VideoCodec.H264 ? type is >= 1 and <= 5 : type is >= 0 and <= 31;
    }

    /// <summary>
    /// True for a slice of a random access picture: H.264 IDR (type 5); H.265 IRAP, types 16–23 (BLA, IDR, CRA and
    /// the reserved IRAP types 22–23).
    /// </summary>
    public static bool IsKeyframe(ReadOnlySpan<byte> nal, VideoCodec codec)
    {
        var type = Type(nal, codec);
        return codec == VideoCodec.H264 ? type == 5 : type is >= 16 and <= 23;
    }

    /// <summary>True for VPS/SPS/PPS NAL units.</summary>
    public static bool IsParameterSet(ReadOnlySpan<byte> nal, VideoCodec codec)
    {
        var type = Type(nal, codec);
        return codec == VideoCodec.H264 ? type is 7 or 8 : type is 32 or 33 or 34;
    }
}
