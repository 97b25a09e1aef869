namespace Receiver.Core.Discovery;

/// <summary>Where a <see cref="MdnsProbeStateMachine"/> is in claiming its names (RFC 6762 sections 8 and 9).</summary>
public enum MdnsProbeState
{
    /// <summary>Nothing proposed yet, or a conflict was reported and the caller has to begin with new names.</summary>
    Idle,

    /// <summary>Sending the three probes; the names are not ours yet and nothing is answered.</summary>
    Probing,

    /// <summary>The names are ours; sending the two announcements.</summary>
    Announcing,

    /// <summary>The names are ours and announced.</summary>
    Announced,
}
