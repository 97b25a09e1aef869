using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using Receiver.Core.Protocols;

namespace Receiver.Web.Connections;

/// <summary>
/// The first four bytes of a mirror-port connection, looked at without consuming them: <c>GET </c> or <c>POST</c>
/// (true) is the legacy HTTP flow, anything else (false) the packet stream.
/// </summary>
internal sealed class MirrorPortPreface : IMessageReader<bool>
{
    public static MirrorPortPreface Instance { get; } = new();

    public bool TryParseMessage(in ReadOnlySequence<byte> input, ref SequencePosition consumed, ref SequencePosition examined, [MaybeNullWhen(false)] out bool message)
    {
        if (input.Length < 4)
        {
            examined = input.End;
            message = false;
            return false;
        }

        Span<byte> first = stackalloc byte[4];
        input.Slice(0, 4).CopyTo(first);
        message = first.SequenceEqual("GET "u8) || first.SequenceEqual("POST"u8);
        return true;
    }
}
