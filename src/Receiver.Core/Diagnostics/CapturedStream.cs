namespace Receiver.Core.Diagnostics;

/// <summary>Where a captured packet header came from.</summary>
public enum CapturedStream : byte
{
    /// <summary>A 128-byte mirror packet header (codec, video, heartbeat, report).</summary>
    Mirror,

    /// <summary>An RTP packet on the audio data port.</summary>
    AudioData,

    /// <summary>An RTP packet retransmitted on the audio control port (a resend the receiver asked for).</summary>
    AudioRetransmit,

    /// <summary>A sync packet on the audio control port: RTP time against the sender's NTP clock.</summary>
    AudioSync,

    /// <summary>Any other packet on the audio control port.</summary>
    AudioControl,

    /// <summary>A reply to the receiver's timing request: the sender's receive and transmit times.</summary>
    TimingReply,
}
