namespace Receiver.Sender.Video;

public enum VideoSourceKind
{
    /// <summary>An Annex-B elementary stream file (.h264/.h265).</summary>
    AnnexBFile,

    /// <summary>A container file ffmpeg reads and converts to Annex-B without re-encoding (.mp4, .mov, .mkv).</summary>
    ContainerFile,

    /// <summary>A live ffmpeg test pattern encoded on the fly.</summary>
    Pattern,
}
