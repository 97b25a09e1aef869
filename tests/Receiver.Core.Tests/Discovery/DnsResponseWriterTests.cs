using System.Net;
using Receiver.Core.Discovery;

namespace Receiver.Core.Tests.Discovery;

public sealed class DnsResponseWriterTests
{
    private static readonly DnsResourceRecord HostA = DnsResourceRecord.Address(DnsName.Parse("h.local"), IPAddress.Parse("10.1.2.3"), 120);

    [Fact]
    public void Write_MulticastAnswer_HeaderAndRecordBytes()
    {
        var packet = DnsResponseWriter.Write([HostA], []);

        byte[] expected =
        [
            0, 0, 0x84, 0x00, 0, 0, 0, 1, 0, 0, 0, 0,
            1, (byte)'h', 5, .. "local"u8, 0,
            0, 1, 0x80, 1, 0, 0, 0, 120, 0, 4, 10, 1, 2, 3,
        ];
        Assert.Equal(expected, packet);
    }

    [Fact]
    public void Write_Goodbye_TtlZero()
    {
        var packet = DnsResponseWriter.Write([HostA.WithTtl(0)], []);

        Assert.Equal([0, 0, 0, 0], packet.AsSpan(12 + 9 + 4, 4).ToArray());
    }

    [Fact]
    public void Write_LegacyUnicast_EchoesIdAndQuestionWithoutCacheFlush()
    {
        var question = new DnsQuestion(DnsName.Parse("h.local"), DnsRecordType.A, 1, false);

        var packet = DnsResponseWriter.Write([HostA], [], legacyUnicast: true, id: 0xBEEF, questions: [question]);

        Assert.Equal([0xBE, 0xEF, 0x84, 0x00, 0, 1, 0, 1, 0, 0, 0, 0], packet.AsSpan(0, 12).ToArray());
        var query = DnsQueryParser.Parse(packet);
        Assert.Equal(question, Assert.Single(query.Questions));
        Assert.Equal([0, 1, 0x00, 1], packet.AsSpan(12 + 13 + 9, 4).ToArray());
    }

    [Fact]
    public void Write_Additionals_CountedInAdditionalSection()
    {
        var packet = DnsResponseWriter.Write([], [HostA, HostA.WithTtl(5)]);

        Assert.Equal([0, 0, 0, 0, 0, 2], packet.AsSpan(6, 6).ToArray());
    }
}
