using System.Buffers;

namespace Receiver.Core.Mirroring;

/// <summary>Pure framing of the mirror data stream: 128-byte header followed by <c>PayloadSize</c> bytes.</summary>
public static class MirrorPacketReader
{
    /// <summary>Default payload cap (16 MiB).</summary>
    public const int DefaultMaxPayload = 16 * 1024 * 1024;

    /// <summary>
    /// Reads one packet from the front of <paramref name="buffer"/>. Returns false, leaving the buffer
    /// untouched, when the header or the payload is not complete yet. On success the buffer is advanced past
    /// the packet and <paramref name="payload"/> is a slice of the original buffer. Throws
    /// <see cref="MirrorProtocolException"/> as soon as the header announces more than
    /// <paramref name="maxPayload"/> bytes, before any payload is waited for.
    /// </summary>
    public static bool TryRead(ref ReadOnlySequence<byte> buffer, int maxPayload, out MirrorPacketHeader header, out ReadOnlySequence<byte> payload)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxPayload);
        payload = default;
        if (buffer.Length < MirrorPacketHeader.Size)
        {
            header = default;
            return false;
        }

        var first = buffer.FirstSpan;
        if (first.Length >= MirrorPacketHeader.Size)
        {
            MirrorPacketHeader.TryParse(first, out header);
        }
        else
        {
            Span<byte> copy = stackalloc byte[MirrorPacketHeader.Size];
            buffer.Slice(0, MirrorPacketHeader.Size).CopyTo(copy);
            MirrorPacketHeader.TryParse(copy, out header);
        }

        if (header.PayloadSize > (uint)maxPayload)
        {
            throw new MirrorProtocolException(
                MirrorProtocolError.PayloadTooLarge,
                $"Mirror packet announces {header.PayloadSize} payload bytes; the limit is {maxPayload}.");
        }

        var total = MirrorPacketHeader.Size + (long)header.PayloadSize;
        if (buffer.Length < total)
        {
            return false;
        }

        payload = buffer.Slice(MirrorPacketHeader.Size, header.PayloadSize);
        buffer = buffer.Slice(total);
        return true;
    }
}
