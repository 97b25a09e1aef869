namespace Receiver.Core.Mirroring;

/// <summary>Why mirror stream data was refused.</summary>
public enum MirrorProtocolError
{
    /// <summary>A packet announces a payload larger than the configured maximum.</summary>
    PayloadTooLarge,

    /// <summary>An avcC/hvcC record or hvc1 sample entry is truncated or inconsistent.</summary>
    MalformedCodecConfiguration,

    /// <summary>The length-prefixed NAL units of a frame do not chain exactly or a NAL header is invalid.</summary>
    MalformedNalUnits,

    /// <summary>A data connection not yet matched to a stream sent more than may be held until it is.</summary>
    UnmatchedTooLarge,

    /// <summary>The sender sent nothing, not even a heartbeat, for longer than the idle timeout.</summary>
    Silent,
}
