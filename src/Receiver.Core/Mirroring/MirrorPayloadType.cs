namespace Receiver.Core.Mirroring;

/// <summary>Payload type byte of a mirror packet header (offset 4). Values not listed are kept as raw numbers.</summary>
public enum MirrorPayloadType : byte
{
    /// <summary>One encrypted access unit in AVCC/HVCC form.</summary>
    Video = 0,

    /// <summary>Plain codec configuration (avcC, or an hvc1 sample entry for H.265).</summary>
    CodecData = 1,

    /// <summary>Heartbeat from older senders, usually without payload.</summary>
    Heartbeat = 2,

    /// <summary>Plain binary-plist streaming report.</summary>
    StreamReport = 5,
}
