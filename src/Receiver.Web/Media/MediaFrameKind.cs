namespace Receiver.Web.Media;

/// <summary>What a binary message of the media WebSocket carries after its <see cref="MediaFrameHeader"/>.</summary>
public enum MediaFrameKind : byte
{
    /// <summary>An fMP4 init segment (ftyp + moov), MSE mode only.</summary>
    InitSegment = 1,

    /// <summary>One access unit: a movie fragment in MSE mode, length-prefixed NAL units in WebCodecs mode.</summary>
    Media = 2,
}
