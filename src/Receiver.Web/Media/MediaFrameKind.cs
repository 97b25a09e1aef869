namespace Receiver.Web.Media;

/// <summary>What a binary message of the media WebSocket carries after its <see cref="MediaFrameHeader"/>.</summary>
public enum MediaFrameKind : byte
{
    /// <summary>An fMP4 init segment (ftyp + moov), MSE mode only.</summary>
    InitSegment = 1,

    /// <summary>One access unit: a movie fragment in MSE mode, length-prefixed NAL units in WebCodecs mode.</summary>
    Media = 2,

    /// <summary>The audio track's fMP4 init segment (track 2), MSE mode only; follows an <c>audioFormat</c> text message.</summary>
    AudioInitSegment = 3,

    /// <summary>One audio frame: a movie fragment of the audio track in MSE mode; a raw AAC frame or a frame of 16-bit PCM in WebCodecs mode.</summary>
    AudioMedia = 4,
}
