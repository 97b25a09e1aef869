namespace Receiver.Sender.Timing;

/// <summary>Where a simulated sender's clock starts, and so what its timestamps look like on the wire.</summary>
public enum SenderClockMode
{
    /// <summary>
    /// Counts from the sender's boot, like an iPhone: NTP-format fields read 1970-01-01 plus the uptime, mirror
    /// headers the bare uptime.
    /// </summary>
    Boot,

    /// <summary>The wall clock in NTP form (Unix time + 2208988800 s), identical in NTP fields and mirror headers.</summary>
    Wall,

    /// <summary>NTP-format fields start at a chosen number of seconds; mirror headers carry them minus 2208988800 s.</summary>
    Offset,
}
