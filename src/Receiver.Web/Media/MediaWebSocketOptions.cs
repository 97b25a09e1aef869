using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;
using Receiver.Core.Media;

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

    /// <summary>
    /// On plain-HTTP/1.1 connections, write each media message as one WebSocket frame straight to the connection's
    /// socket, with no copy of the picture per viewer (HTTPS viewers always go through the WebSocket's own send path).
    /// </summary>
    public bool DirectSend { get; set; } = true;

    /// <summary>Rewrite the H.264 SPS so browsers output each picture at once (mirroring streams have no B-frames).</summary>
    public bool LowDecoderDelay { get; set; } = true;

    /// <summary>Most messages a viewer may have waiting before it is skipped to the next keyframe.</summary>
    [Range(8, 100_000)]
    public int MaxQueuedMessages { get; set; } = new MediaChannelOptions().MaxQueuedMessages;

    /// <summary>Most bytes a viewer may have waiting before it is skipped to the next keyframe.</summary>
    [Range(64 * 1024, 1024L * 1024 * 1024)]
    public long MaxQueuedBytes { get; set; } = new MediaChannelOptions().MaxQueuedBytes;

    /// <summary>Most bytes of the current GOP kept for viewers who join late (a longer GOP: they start at the next keyframe).</summary>
    [Range(0, 1024L * 1024 * 1024)]
    public long MaxGopBytes { get; set; } = new MediaChannelOptions().MaxGopBytes;

    /// <summary>Most media WebSockets one session may have; one more is closed with <see cref="MediaCloseStatus.Full"/>.</summary>
    [Range(1, 10_000)]
    public int MaxViewersPerSession { get; set; } = 16;

    /// <summary>Most media WebSockets of all sessions together.</summary>
    [Range(1, 100_000)]
    public int MaxViewers { get; set; } = 64;

    /// <summary>Reads and validates the section (a <see cref="ValidationException"/> names a value out of range).</summary>
    public static MediaWebSocketOptions From(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var options = configuration.GetSection(SectionName).Get<MediaWebSocketOptions>() ?? new MediaWebSocketOptions();
        Validator.ValidateObject(options, new ValidationContext(options), validateAllProperties: true);
        return options;
    }

    /// <summary>The back-pressure limits of every session's media channel.</summary>
    public MediaChannelOptions ToChannelOptions() => new()
    {
        MaxQueuedMessages = MaxQueuedMessages,
        MaxQueuedBytes = MaxQueuedBytes,
        MaxGopBytes = MaxGopBytes,
    };
}
