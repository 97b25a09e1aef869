using System.Buffers;
using System.Diagnostics.CodeAnalysis;

namespace Receiver.Core.Protocols;

/// <summary>
/// Frames one protocol's messages from the bytes a connection has received so far. Pure: no sockets, no clock.
/// An instance belongs to one connection and may keep what it learnt about a partly received message between
/// calls, so each call only looks at what is new.
/// </summary>
/// <typeparam name="TMessage">The protocol's message type.</typeparam>
public interface IMessageReader<TMessage>
{
    /// <summary>
    /// Tries to read one message from the front of <paramref name="input"/>, which always starts at the first byte
    /// not yet consumed. On entry <paramref name="consumed"/> and <paramref name="examined"/> are
    /// <c>input.Start</c>. Returns true with <paramref name="consumed"/> just past the message; returns false when
    /// more bytes are needed, with <paramref name="consumed"/> left where it was and <paramref name="examined"/> at
    /// the last byte looked at (usually <c>input.End</c>), so the caller waits for bytes after it. A malformed or
    /// oversized message throws the protocol's own exception.
    /// </summary>
    bool TryParseMessage(in ReadOnlySequence<byte> input, ref SequencePosition consumed, ref SequencePosition examined, [MaybeNullWhen(false)] out TMessage message);
}
