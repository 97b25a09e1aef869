namespace Receiver.Web.Media;

/// <summary>How a browser viewer consumes the video of a session.</summary>
public enum MediaStreamMode
{
    /// <summary>Media Source Extensions: an fMP4 init segment, then one movie fragment (moof + mdat) per access unit.</summary>
    Mse,

    /// <summary>WebCodecs <c>VideoDecoder</c>: the avcC/hvcC description in the format message, then one raw AVCC access unit per message.</summary>
    WebCodecs,
}
