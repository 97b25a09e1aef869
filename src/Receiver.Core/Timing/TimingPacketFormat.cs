namespace Receiver.Core.Timing;

/// <summary>Which timing packets the sender answers.</summary>
public enum TimingPacketFormat
{
    /// <summary>AirPlay's 32-byte 0xD2/0xD3 packets on the port the keys SETUP announced.</summary>
    AirPlay,

    /// <summary>Standard 48-byte NTPv4 packets on port 7010 (the legacy port-7100 flow).</summary>
    NtpV4,
}
