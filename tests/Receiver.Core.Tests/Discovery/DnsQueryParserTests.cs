using Receiver.Core.Discovery;

namespace Receiver.Core.Tests.Discovery;

public sealed class DnsQueryParserTests
{
    // Query id 0x1234, two questions: PTR _airplay._tcp.local (QU bit set) and TXT _raop._tcp.local, whose
    // "_tcp.local" suffix is a compression pointer to offset 21.
    private static readonly byte[] TwoQuestions =
    [
        0x12, 0x34, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        8, .. "_airplay"u8, 4, .. "_tcp"u8, 5, .. "local"u8, 0, 0x00, 0x0C, 0x80, 0x01,
        5, .. "_raop"u8, 0xC0, 21, 0x00, 0x10, 0x00, 0x01,
    ];

    [Fact]
    public void Parse_TwoQuestionsWithCompression_ReturnsQuestions()
    {
        var query = DnsQueryParser.Parse(TwoQuestions);

        Assert.Equal(0x1234, query.Id);
        Assert.False(query.IsResponse);
        Assert.Equal(0, query.Opcode);
        Assert.Equal(2, query.Questions.Count);
        Assert.Equal(new DnsQuestion(DnsName.Parse("_airplay._tcp.local"), DnsRecordType.Ptr, 1, true), query.Questions[0]);
        Assert.Equal(new DnsQuestion(DnsName.Parse("_raop._tcp.local"), DnsRecordType.Txt, 1, false), query.Questions[1]);
    }

    [Fact]
    public void Parse_NamesCompareIgnoringCase()
    {
        var query = DnsQueryParser.Parse(TwoQuestions);

        Assert.Equal(DnsName.Parse("_AIRPLAY._TCP.LOCAL"), query.Questions[0].Name);
    }

    [Fact]
    public void Parse_EveryTruncation_ThrowsFormatException()
    {
        for (var length = 0; length < TwoQuestions.Length; length++)
        {
            Assert.Throws<DnsFormatException>(() => DnsQueryParser.Parse(TwoQuestions.AsSpan(0, length)));
        }
    }

    [Fact]
    public void Parse_PointerToItself_ThrowsFormatException()
    {
        byte[] message = [0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0xC0, 12, 0, 1, 0, 1];

        var e = Assert.Throws<DnsFormatException>(() => DnsQueryParser.Parse(message));
        Assert.Contains("backwards", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_ReservedLabelPrefix_ThrowsFormatException()
    {
        byte[] message = [0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0x41, 0, 0, 1, 0, 1];

        Assert.Throws<DnsFormatException>(() => DnsQueryParser.Parse(message));
    }

    [Fact]
    public void Parse_InvalidUtf8Label_ThrowsFormatException()
    {
        byte[] message = [0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 2, 0xFF, 0xFE, 0, 0, 1, 0, 1];

        Assert.Throws<DnsFormatException>(() => DnsQueryParser.Parse(message));
    }

    [Fact]
    public void Parse_TooManyQuestions_ThrowsFormatException()
    {
        byte[] message = [0, 0, 0, 0, 0xFF, 0xFF, 0, 0, 0, 0, 0, 0];

        Assert.Throws<DnsFormatException>(() => DnsQueryParser.Parse(message));
    }

    [Fact]
    public void Parse_Response_FlaggedAsResponse()
    {
        byte[] message = [0, 0, 0x84, 0, 0, 0, 0, 0, 0, 0, 0, 0];

        Assert.True(DnsQueryParser.Parse(message).IsResponse);
    }
}
