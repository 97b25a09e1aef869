namespace Receiver.Core.Discovery;

/// <summary>Outcome of a received message for names being probed or owned.</summary>
public enum MdnsObservationKind
{
    /// <summary>No effect.</summary>
    None,

    /// <summary>Another host holds one of our names: pick another name and begin again.</summary>
    Conflict,

    /// <summary>
    /// A response claims one of our announced names with other data: probing starts again under the same names
    /// (RFC 6762 section 9); if the other host still holds them, that probe series ends in a conflict.
    /// </summary>
    Challenged,

    /// <summary>Another host probing for the same name won the tie-break: probing restarts after one second.</summary>
    LostTieBreak,
}
