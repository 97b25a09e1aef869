using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using Receiver.Core.Protocols;

namespace Receiver.Core.Casting;

/// <summary>
/// Reads the sender's side of a reverse (PTTH) channel after <c>101 Switching Protocols</c>. The channel carries the
/// receiver's requests to the sender; the sender writes only answers to them. Each read takes every byte that arrived
/// (the count is the message), so the sender's answers never pile up in the pipe.
/// </summary>
public sealed class ReverseChannelReader : IMessageReader<long>
{
    public bool TryParseMessage(in ReadOnlySequence<byte> input, ref SequencePosition consumed, ref SequencePosition examined, [MaybeNullWhen(false)] out long message)
    {
        message = input.Length;
        consumed = input.End;
        examined = input.End;
        return message > 0;
    }
}
