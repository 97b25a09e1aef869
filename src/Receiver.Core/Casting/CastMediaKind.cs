namespace Receiver.Core.Casting;

/// <summary>How the viewer page plays a cast: the URL itself (<c>&lt;video src&gt;</c>) or an HLS playlist.</summary>
public enum CastMediaKind
{
    /// <summary>A file the browser plays directly (MP4 and anything else that is not a playlist).</summary>
    File,

    /// <summary>An HLS playlist (<c>.m3u8</c>), played with hls.js or the browser's own HLS.</summary>
    Hls,
}
