namespace Receiver.Core.Timing;

/// <summary>
/// The two encodings in which a sender writes its clock (docs/CLOCKS.md). Real senders write one clock, counted
/// from their boot, in both: with the 1900→1970 epoch offset added in the NTP form, without it in mirror headers.
/// </summary>
public enum SenderTimeDomain
{
    /// <summary>Timing replies (t1, t2) and audio sync packets: big-endian NTP 32.32.</summary>
    Ntp,

    /// <summary>Mirror packet headers: little-endian 32.32 seconds.</summary>
    Mirror,
}
