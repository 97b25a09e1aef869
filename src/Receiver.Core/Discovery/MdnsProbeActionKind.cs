namespace Receiver.Core.Discovery;

/// <summary>What the driver of a <see cref="MdnsProbeStateMachine"/> does next.</summary>
public enum MdnsProbeActionKind
{
    /// <summary>Nothing is due until a message arrives or the caller begins again.</summary>
    None,

    /// <summary>Wait until <see cref="MdnsProbeAction.Due"/>, or until a message changes the state.</summary>
    Wait,

    /// <summary>Send a probe for the proposed records now.</summary>
    Probe,

    /// <summary>Send an announcement of every record now.</summary>
    Announce,
}
