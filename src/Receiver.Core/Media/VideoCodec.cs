namespace Receiver.Core.Media;

/// <summary>The video coding standard of a mirrored stream.</summary>
public enum VideoCodec
{
    /// <summary>ITU-T H.264 / MPEG-4 AVC.</summary>
    H264,

    /// <summary>ITU-T H.265 / HEVC.</summary>
    H265,
}
