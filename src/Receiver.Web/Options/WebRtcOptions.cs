using System.ComponentModel.DataAnnotations;

namespace Receiver.Web.Options;

/// <summary>
/// WebRTC viewing through Janus (<c>Receiver:WebRtc</c>): when <see cref="JanusUrl"/> is set, every H.264 session is
/// sent as RTP to a Janus streaming mountpoint and the viewer page plays it with <c>RTCPeerConnection</c>.
/// </summary>
public sealed class WebRtcOptions
{
    /// <summary>Janus's HTTP API, e.g. <c>http://127.0.0.1:8088/janus</c>. Empty = WebRTC viewing off.</summary>
    public string? JanusUrl { get; set; }

    /// <summary>The address Janus receives RTP on (where its mountpoints listen): loopback when Janus runs on this machine.</summary>
    [Required]
    public string RtpHost { get; set; } = "127.0.0.1";

    /// <summary>The Opus bit rate of the sound sent to Janus, in bit/s.</summary>
    [Range(16_000, 510_000)]
    public int OpusBitrate { get; set; } = 128_000;

    /// <summary>How long one call to Janus's API may take before it counts as unreachable, in seconds.</summary>
    [Range(1, 60)]
    public int RequestTimeoutSeconds { get; set; } = 5;

    /// <summary>
    /// WebRTC viewers whose signalling the receiver relays at once (each holds a WebSocket and a long poll to Janus;
    /// the media itself flows from Janus). One more is closed with code 4001.
    /// </summary>
    [Range(1, 10_000)]
    public int MaxViewers { get; set; } = 256;

    /// <summary>
    /// The longest the receiver holds one of a session's streams back so that Janus forwards picture and sound of the
    /// same instant together (Janus's RTCP sender reports, which the browser lip-syncs by, are stamped when it
    /// forwards), in milliseconds; 0 sends each stream as soon as it is ready.
    /// </summary>
    [Range(0, 2000)]
    public int LipSyncMaxHoldMs { get; set; } = 1000;

    /// <summary>True when WebRTC viewing is on.</summary>
    public bool Enabled => !string.IsNullOrWhiteSpace(JanusUrl);
}
