namespace Receiver.Web.Connections;

/// <summary>
/// What <see cref="ProtocolReader.ReadAsync{TMessage}"/> returned: a message, the end of the peer's bytes, or a
/// deadline that passed.
/// </summary>
/// <typeparam name="TMessage">The protocol's message type.</typeparam>
public readonly struct ProtocolReadResult<TMessage>
{
    private ProtocolReadResult(TMessage? message, bool isCompleted, long unparsedBytes, ProtocolTimeout? timedOut)
    {
        Message = message;
        IsCompleted = isCompleted;
        UnparsedBytes = unparsedBytes;
        TimedOut = timedOut;
    }

    /// <summary>The message; valid until <see cref="ProtocolReader.Advance"/>.</summary>
    public TMessage? Message { get; }

    /// <summary>The peer finished sending; no message.</summary>
    public bool IsCompleted { get; }

    /// <summary>
    /// When <see cref="IsCompleted"/> or <see cref="TimedOut"/>: bytes of an unfinished message the peer left behind
    /// (0 = clean end, or nothing of a next message yet).
    /// </summary>
    public long UnparsedBytes { get; }

    /// <summary>The deadline that passed before a message was complete, or null.</summary>
    public ProtocolTimeout? TimedOut { get; }

    /// <summary>True when a message was read.</summary>
    public bool HasMessage => !IsCompleted && TimedOut is null;

    internal static ProtocolReadResult<TMessage> Read(TMessage message) => new(message, false, 0, null);

    internal static ProtocolReadResult<TMessage> Completed(long unparsedBytes) => new(default, true, unparsedBytes, null);

    internal static ProtocolReadResult<TMessage> Expired(ProtocolTimeout timeout, long unparsedBytes) => new(default, false, unparsedBytes, timeout);
}
