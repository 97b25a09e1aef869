using System.ComponentModel.DataAnnotations;

namespace Receiver.Web.Media;

/// <summary>Settings of the media WebSocket, section <c>Receiver:Viewer</c>.</summary>
public sealed class MediaWebSocketOptions
{
    public const string SectionName = "Receiver:Viewer";

    /// <summary>Interval of WebSocket pings to each viewer.</summary>
    [Range(1, 3600)]
    public int KeepAliveSeconds { get; set; } = 15;

    /// <summary>A viewer that does not answer a ping within this time is disconnected.</summary>
    [Range(1, 3600)]
    public int KeepAliveTimeoutSeconds { get; set; } = 30;

    /// <summary>A viewer whose socket accepts no data for this long is disconnected (its queue is dropped meanwhile).</summary>
    [Range(1, 3600)]
    public int SendTimeoutSeconds { get; set; } = 30;

    /// <summary>Rewrite the H.264 SPS so browsers output each picture at once (mirroring streams have no B-frames).</summary>
    public bool LowDecoderDelay { get; set; } = true;
}
