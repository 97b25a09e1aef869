using System.Buffers.Binary;
using System.Text;

namespace Receiver.Core.Discovery;

/// <summary>
/// Reads the header and question section of a DNS message (RFC 1035 section 4.1), following name compression
/// pointers. Answer, authority and additional sections are not needed by the responder and are not read.
/// </summary>
public static class DnsQueryParser
{
    /// <summary>Size of the fixed DNS header.</summary>
    public const int HeaderLength = 12;

    /// <summary>Most questions read from one message; mDNS queries carry a handful.</summary>
    public const int MaxQuestions = 64;

    private const int MaxPointerJumps = 32;

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

        return new DnsQuery(id, (flags & 0x8000) != 0, (flags >> 11) & 0xF, questions);
    }

    /// <summary>Reads a possibly compressed name at <paramref name="offset"/> and moves the offset past it.</summary>
    public static DnsName ReadName(ReadOnlySpan<byte> message, ref int offset)
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
                if (labels.Count == 0)
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
