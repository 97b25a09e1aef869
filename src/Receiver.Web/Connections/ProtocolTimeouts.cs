namespace Receiver.Web.Connections;

/// <summary>The deadlines a <see cref="ProtocolReader"/> enforces while it waits for bytes.</summary>
public sealed record ProtocolTimeouts
{
    /// <summary>Longest wait for the next bytes; every read that returns starts it again.</summary>
    public required TimeSpan Idle { get; init; }

    /// <summary>Longest time from the first byte of a message to its last; null for none.</summary>
    public TimeSpan? Message { get; init; }

    /// <summary>Longest time from the reader's start until its first message is complete; null for none.</summary>
    public TimeSpan? FirstMessage { get; init; }
}
