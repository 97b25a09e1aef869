namespace Receiver.Core.Timing;

/// <summary>What a <see cref="SenderClock"/> maps sender times to local times with.</summary>
public enum SenderClockSource
{
    /// <summary>Nothing yet: no packet and no timing reply has arrived.</summary>
    None,

    /// <summary>Packet arrivals: the sender does not answer timing requests (or stopped answering).</summary>
    Arrival,

    /// <summary>The NTP exchange with the sender.</summary>
    Ntp,
}
