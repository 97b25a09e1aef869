namespace Receiver.Web.Connections;

/// <summary>Which of the <see cref="ProtocolTimeouts"/> passed.</summary>
public enum ProtocolTimeout
{
    /// <summary>Nothing arrived for <see cref="ProtocolTimeouts.Idle"/>.</summary>
    Idle,

    /// <summary>A message took longer than <see cref="ProtocolTimeouts.Message"/> from its first byte.</summary>
    Message,

    /// <summary>No complete message within <see cref="ProtocolTimeouts.FirstMessage"/> of the reader's start.</summary>
    FirstMessage,
}
