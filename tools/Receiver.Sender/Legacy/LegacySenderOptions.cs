using Receiver.Core.Media;
using Receiver.Sender.Sessions;

namespace Receiver.Sender.Legacy;

/// <summary>
/// A legacy (pre-iOS 9) sender: the common sender options plus the fixed port-7100 mirror connection, the UDP
/// port the sender answers NTP on (7010) and whether the stream is sent without <c>param1</c>/<c>param2</c>.
/// </summary>
public sealed record LegacySenderOptions
{
    /// <summary>The fixed TCP port legacy senders mirror to.</summary>
    public const int DefaultMirrorPort = 7100;

    /// <summary>
    /// Host, video, pacing, FairPlay case, name, device id, dump path, and the sender clock
    /// (<see cref="SenderOptions.Clock"/>, <see cref="SenderOptions.ClockDriftPpm"/>,
    /// <see cref="SenderOptions.TimingReplies"/>); <see cref="SenderOptions.Port"/> is not used.
    /// </summary>
    public required SenderOptions Sender { get; init; }

    public int MirrorPort { get; init; } = DefaultMirrorPort;

    /// <summary>UDP port of the sender's NTP responder (0 picks a free one; the receiver must be told).</summary>
    public int TimingPort { get; init; } = LegacyTimingResponder.DefaultPort;

    /// <summary>No fp-setup, no <c>param1</c>/<c>param2</c>: the video payloads go in the clear.</summary>
    public bool Plain { get; init; }

    /// <summary>Version string sent in <c>POST /stream</c>.</summary>
    public string Version { get; init; } = "130.16";

    /// <summary>Why these options cannot describe a legacy sender, or null.</summary>
    public string? Validate()
    {
        if (Sender.Codec != VideoCodec.H264)
        {
            return "The legacy flow carries H.264 only (--codec h264).";
        }

        if (Sender.Audio)
        {
            return "Legacy audio goes through a separate RAOP session, which the simulator does not play; drop --audio.";
        }

        return MirrorPort is < 1 or > 65535 ? "--mirror-port must be 1..65535."
            : TimingPort is < 0 or > 65535 ? "--legacy-timing-port must be 0..65535."
            : null;
    }
}
