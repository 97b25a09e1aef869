namespace Receiver.Core.Audio;

/// <summary>How an <see cref="AudioStreamEndpoint"/> receives and transcodes.</summary>
public sealed record AudioStreamOptions
{
    /// <summary>Transcode to AAC-LC and publish (needs a media channel and ffmpeg).</summary>
    public bool Transcode { get; init; } = true;

    /// <summary>The ffmpeg executable.</summary>
    public string FfmpegPath { get; init; } = "ffmpeg";

    /// <summary>
    /// Also publish the decoded PCM (16-bit, the sender's rate, channels and frame size) for players that take it
    /// (WebCodecs), so that their sound skips the AAC encoder's delay.
    /// </summary>
    public bool Pcm { get; init; } = true;

    /// <summary>AAC-LC bitrate in bits per second.</summary>
    public int Bitrate { get; init; } = 128_000;

    /// <summary>Newer packets to wait for before a missing packet is given up (8 AAC-ELD frames ≈ 87 ms).</summary>
    public int MaxHoldPackets { get; init; } = 8;

    /// <summary>The resource limits of the transcoder's ffmpeg processes.</summary>
    public Media.FfmpegLimits FfmpegLimits { get; init; } = Media.FfmpegLimits.None;

    /// <summary>Watches the transcoder's ffmpeg processes for CPU use; null: not watched.</summary>
    public Media.FfmpegCpuWatchdog? CpuWatchdog { get; init; }

    /// <summary>Which datagrams are the sender's; null: the address the stream was opened for, counted by the endpoint alone.</summary>
    public Timing.SenderDatagramFilter? SenderDatagrams { get; init; }

    /// <summary>The session's protocol capture: every packet header (RTP, sync, other control packets) is recorded there.</summary>
    public Diagnostics.ProtocolCapture? Capture { get; init; }
}
