using System.Buffers.Binary;

namespace Receiver.Core.Discovery;

/// <summary>Serialises mDNS probe queries (RFC 6762 section 8.1) without name compression.</summary>
public static class DnsProbeWriter
{
    /// <summary>
    /// Builds a probe: id 0, flags 0, <paramref name="questions"/> (class IN, with the QU bit when
    /// <see cref="DnsQuestion.UnicastResponse"/> is set) and the proposed records in the authority section, without
    /// the cache-flush bit.
    /// </summary>
    public static byte[] Write(IReadOnlyList<DnsQuestion> questions, IReadOnlyList<DnsResourceRecord> authorities)
    {
        ArgumentNullException.ThrowIfNull(questions);
        ArgumentNullException.ThrowIfNull(authorities);
        var length = DnsQueryParser.HeaderLength;
        foreach (var q in questions)
        {
            length += q.Name.EncodedLength + 4;
        }

        foreach (var r in authorities)
        {
            length += r.EncodedLength;
        }

        var buffer = new byte[length];
        var span = buffer.AsSpan();
        BinaryPrimitives.WriteUInt16BigEndian(span[4..], (ushort)questions.Count);
        BinaryPrimitives.WriteUInt16BigEndian(span[8..], (ushort)authorities.Count);
        var offset = DnsQueryParser.HeaderLength;
        foreach (var q in questions)
        {
            offset += q.Name.WriteTo(span[offset..]);
            BinaryPrimitives.WriteUInt16BigEndian(span[offset..], (ushort)q.Type);
            BinaryPrimitives.WriteUInt16BigEndian(span[(offset + 2)..], (ushort)(q.Class | (q.UnicastResponse ? 0x8000 : 0)));
            offset += 4;
        }

        foreach (var r in authorities)
        {
            offset += r.WriteTo(span[offset..], useCacheFlushBit: false);
        }

        return buffer;
    }
}
