using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using Receiver.Core.Protocols;

namespace Receiver.Core.Mirroring;

/// <summary>
/// The mirror data stream as <see cref="IMessageReader{TMessage}"/>: framing by <see cref="MirrorPacketReader"/>,
/// so the payload cap is checked as soon as a header is complete and payloads are never copied.
/// </summary>
public sealed class MirrorPacketMessageReader(int maxPayload) : IMessageReader<MirrorPacket>
{
    /// <inheritdoc />
    public bool TryParseMessage(in ReadOnlySequence<byte> input, ref SequencePosition consumed, ref SequencePosition examined, [MaybeNullWhen(false)] out MirrorPacket message)
    {
        var buffer = input;
        if (!MirrorPacketReader.TryRead(ref buffer, maxPayload, out var header, out var payload))
        {
            examined = input.End;
            message = default;
            return false;
        }

        consumed = buffer.Start;
        examined = consumed;
        message = new MirrorPacket(header, payload);
        return true;
    }
}
