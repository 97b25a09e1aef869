using System.Buffers.Binary;
using System.Text;

namespace Receiver.Core.Discovery;

/// <summary>
/// Reads a DNS message (RFC 1035 section 4.1): header, questions and the answer, authority and additional records,
/// following name compression pointers. Names inside PTR, CNAME, NS and SRV data are expanded, so that record data
/// can be compared byte for byte (RFC 6762 sections 8.2 and 9); A and AAAA data must be 4 and 16 bytes. Records of classes other than IN (such as the EDNS0
/// OPT pseudo-record) are read past and left out.
/// </summary>
public static class DnsQueryParser
{
    /// <summary>Size of the fixed DNS header.</summary>
    public const int HeaderLength = 12;

    /// <summary>Most questions read from one message; mDNS queries carry a handful.</summary>
    public const int MaxQuestions = 64;

    /// <summary>Most resource records read from one message, over all three record sections.</summary>
    public const int MaxRecords = 256;

    private const int MaxPointerJumps = 32;

    private const int RecordFixedLength = 10;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Parses <paramref name="message"/>; throws <see cref="DnsFormatException"/> when it is malformed.</summary>
    public static DnsQuery Parse(ReadOnlySpan<byte> message)
    {
        if (message.Length < HeaderLength)
        {
            throw new DnsFormatException($"DNS message is {message.Length} bytes, shorter than the {HeaderLength}-byte header.");
        }

        var id = BinaryPrimitives.ReadUInt16BigEndian(message);
        var flags = BinaryPrimitives.ReadUInt16BigEndian(message[2..]);
        var questionCount = BinaryPrimitives.ReadUInt16BigEndian(message[4..]);
        if (questionCount > MaxQuestions)
        {
            throw new DnsFormatException($"DNS message announces {questionCount} questions; at most {MaxQuestions} are read.");
        }

        var answerCount = BinaryPrimitives.ReadUInt16BigEndian(message[6..]);
        var authorityCount = BinaryPrimitives.ReadUInt16BigEndian(message[8..]);
        var additionalCount = BinaryPrimitives.ReadUInt16BigEndian(message[10..]);
        if (answerCount + authorityCount + additionalCount > MaxRecords)
        {
            throw new DnsFormatException(
                $"DNS message announces {answerCount + authorityCount + additionalCount} records; at most {MaxRecords} are read.");
        }

        var questions = new DnsQuestion[questionCount];
        var offset = HeaderLength;
        for (var i = 0; i < questionCount; i++)
        {
            var name = ReadName(message, ref offset);
            if (message.Length - offset < 4)
            {
                throw new DnsFormatException($"DNS question {i} is truncated after its name.");
            }

            var type = BinaryPrimitives.ReadUInt16BigEndian(message[offset..]);
            var qclass = BinaryPrimitives.ReadUInt16BigEndian(message[(offset + 2)..]);
            offset += 4;
            questions[i] = new DnsQuestion(name, (DnsRecordType)type, (ushort)(qclass & 0x7FFF), (qclass & 0x8000) != 0);
        }

        var answers = ReadRecords(message, ref offset, answerCount, "answer");
        var authorities = ReadRecords(message, ref offset, authorityCount, "authority");
        var additionals = ReadRecords(message, ref offset, additionalCount, "additional");
        return new DnsQuery(id, (flags & 0x8000) != 0, (flags >> 11) & 0xF, questions)
        {
            Answers = answers,
            Authorities = authorities,
            Additionals = additionals,
        };
    }

    /// <summary>Reads a possibly compressed name at <paramref name="offset"/> and moves the offset past it.</summary>
    public static DnsName ReadName(ReadOnlySpan<byte> message, ref int offset) => ReadName(message, ref offset, allowRoot: false);

    private static List<DnsResourceRecord> ReadRecords(ReadOnlySpan<byte> message, ref int offset, int count, string section)
    {
        var records = new List<DnsResourceRecord>(count);
        for (var i = 0; i < count; i++)
        {
            var name = ReadName(message, ref offset, allowRoot: true);
            if (message.Length - offset < RecordFixedLength)
            {
                throw new DnsFormatException($"DNS {section} record {i} is truncated after its name.");
            }

            var type = (DnsRecordType)BinaryPrimitives.ReadUInt16BigEndian(message[offset..]);
            var rclass = BinaryPrimitives.ReadUInt16BigEndian(message[(offset + 2)..]);
            var ttl = BinaryPrimitives.ReadUInt32BigEndian(message[(offset + 4)..]);
            var length = BinaryPrimitives.ReadUInt16BigEndian(message[(offset + 8)..]);
            var dataStart = offset + RecordFixedLength;
            if (message.Length - dataStart < length)
            {
                throw new DnsFormatException($"DNS {section} record {i} announces {length} data bytes; {message.Length - dataStart} remain.");
            }

            offset = dataStart + length;
            if ((rclass & 0x7FFF) != DnsResourceRecord.ClassInternet)
            {
                continue;
            }

            var data = ReadData(message, dataStart, length, type, section, i);
            records.Add(new DnsResourceRecord(name, type, (rclass & 0x8000) != 0, ttl, data));
        }

        return records;
    }

    private static byte[] ReadData(ReadOnlySpan<byte> message, int start, int length, DnsRecordType type, string section, int index)
    {
        // Address records carry exactly one address: 4 bytes for A (RFC 1035), 16 for AAAA (RFC 3596).
        var addressLength = type switch
        {
            DnsRecordType.A => 4,
            DnsRecordType.Aaaa => 16,
            _ => length,
        };
        if (length != addressLength)
        {
            throw new DnsFormatException($"DNS {section} record {index} ({type}) has {length} data bytes; an address record has {addressLength}.");
        }

        var prefix = type switch
        {
            DnsRecordType.Ptr or DnsRecordType.Cname or DnsRecordType.Ns => 0,
            DnsRecordType.Srv => 6,
            _ => -1,
        };
        if (prefix < 0)
        {
            return message.Slice(start, length).ToArray();
        }

        if (length < prefix + 1)
        {
            throw new DnsFormatException($"DNS {section} record {index} ({type}) has {length} data bytes, too few for its fields.");
        }

        // The target name must lie within the record data, but may point back into the message.
        var rdata = message[..(start + length)];
        var nameOffset = start + prefix;
        var target = ReadName(rdata, ref nameOffset, allowRoot: true);
        if (nameOffset != start + length)
        {
            throw new DnsFormatException($"DNS {section} record {index} ({type}) has {start + length - nameOffset} bytes after its target name.");
        }

        var data = new byte[prefix + target.EncodedLength];
        message.Slice(start, prefix).CopyTo(data);
        target.WriteTo(data.AsSpan(prefix));
        return data;
    }

    private static DnsName ReadName(ReadOnlySpan<byte> message, ref int offset, bool allowRoot)
    {
        var labels = new List<string>();
        var position = offset;
        var end = -1;
        var jumps = 0;
        var encodedLength = 1;
        while (true)
        {
            if (position >= message.Length)
            {
                throw new DnsFormatException($"DNS name at offset {offset} runs past the end of the message.");
            }

            var length = message[position];
            if ((length & 0xC0) == 0xC0)
            {
                if (position + 1 >= message.Length)
                {
                    throw new DnsFormatException($"DNS compression pointer at offset {position} is truncated.");
                }

                if (++jumps > MaxPointerJumps)
                {
                    throw new DnsFormatException($"DNS name at offset {offset} has more than {MaxPointerJumps} compression pointers.");
                }

                var target = ((length & 0x3F) << 8) | message[position + 1];
                if (target >= position)
                {
                    throw new DnsFormatException($"DNS compression pointer at offset {position} does not point backwards (target {target}).");
                }

                if (end < 0)
                {
                    end = position + 2;
                }

                position = target;
                continue;
            }

            if ((length & 0xC0) != 0)
            {
                throw new DnsFormatException($"DNS label at offset {position} uses the reserved length prefix 0x{length:X2}.");
            }

            if (length == 0)
            {
                offset = end < 0 ? position + 1 : end;
                if (labels.Count == 0 && !allowRoot)
                {
                    throw new DnsFormatException("DNS root name is not expected in an mDNS question.");
                }

                return new DnsName([.. labels]);
            }

            encodedLength += 1 + length;
            if (encodedLength > DnsName.MaxEncodedLength)
            {
                throw new DnsFormatException($"DNS name at offset {offset} is longer than {DnsName.MaxEncodedLength} bytes.");
            }

            if (position + 1 + length > message.Length)
            {
                throw new DnsFormatException($"DNS label at offset {position} runs past the end of the message.");
            }

            try
            {
                labels.Add(StrictUtf8.GetString(message.Slice(position + 1, length)));
            }
            catch (DecoderFallbackException e)
            {
                throw new DnsFormatException($"DNS label at offset {position} is not valid UTF-8.", e);
            }

            position += 1 + length;
        }
    }
}
