using System.Buffers.Binary;

namespace Receiver.Core.Discovery;

/// <summary>Serialises mDNS response messages (RFC 6762 section 18) without name compression.</summary>
public static class DnsResponseWriter
{
    /// <summary>Header flags of a response: QR and AA set.</summary>
    public const ushort ResponseFlags = 0x8400;

    /// <summary>
    /// Builds a response. Multicast responses have id 0 and no question section; a legacy unicast reply
    /// (<paramref name="legacyUnicast"/>) echoes the query's id and questions and never sets the cache-flush bit
    /// (RFC 6762 section 6.7).
    /// </summary>
    public static byte[] Write(
        IReadOnlyList<DnsResourceRecord> answers,
        IReadOnlyList<DnsResourceRecord> additionals,
        bool legacyUnicast = false,
        ushort id = 0,
        IReadOnlyList<DnsQuestion>? questions = null)
    {
        ArgumentNullException.ThrowIfNull(answers);
        ArgumentNullException.ThrowIfNull(additionals);
        questions ??= [];
        var length = DnsQueryParser.HeaderLength;
        foreach (var q in questions)
        {
            length += q.Name.EncodedLength + 4;
        }

        foreach (var r in answers)
        {
            length += r.EncodedLength;
        }

        foreach (var r in additionals)
        {
            length += r.EncodedLength;
        }

        var buffer = new byte[length];
        var span = buffer.AsSpan();
        BinaryPrimitives.WriteUInt16BigEndian(span, id);
        BinaryPrimitives.WriteUInt16BigEndian(span[2..], ResponseFlags);
        BinaryPrimitives.WriteUInt16BigEndian(span[4..], (ushort)questions.Count);
        BinaryPrimitives.WriteUInt16BigEndian(span[6..], (ushort)answers.Count);
        BinaryPrimitives.WriteUInt16BigEndian(span[8..], 0);
        BinaryPrimitives.WriteUInt16BigEndian(span[10..], (ushort)additionals.Count);
        var offset = DnsQueryParser.HeaderLength;
        foreach (var q in questions)
        {
            offset += q.Name.WriteTo(span[offset..]);
            BinaryPrimitives.WriteUInt16BigEndian(span[offset..], (ushort)q.Type);
            BinaryPrimitives.WriteUInt16BigEndian(span[(offset + 2)..], q.Class);
            offset += 4;
        }

        foreach (var r in answers)
        {
            offset += r.WriteTo(span[offset..], !legacyUnicast);
        }

        foreach (var r in additionals)
        {
            offset += r.WriteTo(span[offset..], !legacyUnicast);
        }

        return buffer;
    }
}
