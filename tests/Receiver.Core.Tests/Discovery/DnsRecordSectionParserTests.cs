using System.Net;
using Receiver.Core.Discovery;

namespace Receiver.Core.Tests.Discovery;

/// <summary>Reading the answer, authority and additional sections with <see cref="DnsQueryParser"/>.</summary>
public sealed class DnsRecordSectionParserTests
{
    private static readonly DnsName Instance = DnsName.Parse("Den._airplay._tcp.local");
    private static readonly DnsName Host = DnsName.Parse("host.local");

    // Response: answers SRV Den._airplay._tcp.local → host.local:7000 (cache-flush, target "host" + pointer to
    // "local" at 30) and PTR _airplay._tcp.local (pointer to 16) → Den... (pointer to 12); additionals A host.local
    // (owner is a pointer into the SRV data at 53) = 127.0.0.1 and an EDNS0 OPT record (root owner, class 1440).
    private static readonly byte[] Response =
    [
        0x00, 0x00, 0x84, 0x00, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x02,
        3, .. "Den"u8, 8, .. "_airplay"u8, 4, .. "_tcp"u8, 5, .. "local"u8, 0,
        0x00, 0x21, 0x80, 0x01, 0x00, 0x00, 0x00, 0x78, 0x00, 0x0D,
        0x00, 0x00, 0x00, 0x00, 0x1B, 0x58, 4, .. "host"u8, 0xC0, 30,
        0xC0, 16, 0x00, 0x0C, 0x00, 0x01, 0x00, 0x00, 0x11, 0x94, 0x00, 0x02, 0xC0, 12,
        0xC0, 53, 0x00, 0x01, 0x80, 0x01, 0x00, 0x00, 0x00, 0x78, 0x00, 0x04, 127, 0, 0, 1,
        0x00, 0x00, 0x29, 0x05, 0xA0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    ];

    [Fact]
    public void Parse_Response_ReadsRecordsExpandingCompressedData()
    {
        var message = DnsQueryParser.Parse(Response);

        Assert.True(message.IsResponse);
        Assert.Equal(
            [DnsResourceRecord.Srv(Instance, Host, 7000, 120), DnsResourceRecord.Ptr(AirPlayServiceZone.AirPlayServiceType, Instance, 4500)],
            message.Answers);
        Assert.Empty(message.Authorities);
        Assert.Equal([DnsResourceRecord.Address(Host, IPAddress.Loopback, 120)], message.Additionals);
    }

    [Fact]
    public void Parse_Response_EveryTruncation_ThrowsFormatException()
    {
        for (var length = 0; length < Response.Length; length++)
        {
            Assert.Throws<DnsFormatException>(() => DnsQueryParser.Parse(Response.AsSpan(0, length)));
        }
    }

    [Fact]
    public void Parse_ProbeFromWriter_RoundTripsQuestionsAndAuthorities()
    {
        var info = new AirPlayServiceInfo("Den", "02:11:22:33:44:55", AirPlayServiceInfo.DefaultFeatures, new byte[32], 7000);
        var zone = new AirPlayServiceZone(info, "airplay-021122334455");
        IPAddress[] addresses = [IPAddress.Parse("192.0.2.10")];
        var proposed = zone.UniqueRecords(addresses);

        var probe = DnsQueryParser.Parse(DnsProbeWriter.Write(zone.ProbeQuestions(addresses), proposed));

        Assert.False(probe.IsResponse);
        Assert.Equal(0, probe.Id);
        Assert.Equal(zone.ProbeQuestions(addresses), probe.Questions);
        Assert.All(probe.Questions, q => Assert.Equal(DnsRecordType.Any, q.Type));
        Assert.Equal(proposed.Select(r => r with { CacheFlush = false }), probe.Authorities);
        Assert.Empty(probe.Answers);
        Assert.Empty(probe.Additionals);
    }

    [Fact]
    public void Parse_DataLengthPastEnd_ThrowsFormatException()
    {
        byte[] message = [0, 0, 0x84, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, (byte)'a', 0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 5, 1, 2, 3, 4];

        var e = Assert.Throws<DnsFormatException>(() => DnsQueryParser.Parse(message));
        Assert.Contains("announces 5 data bytes; 4 remain", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_SrvWithBytesAfterTarget_ThrowsFormatException()
    {
        byte[] message = [0, 0, 0x84, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, (byte)'a', 0, 0, 33, 0, 1, 0, 0, 0, 0, 0, 9, 0, 0, 0, 0, 0, 1, 0xC0, 12, 7];

        var e = Assert.Throws<DnsFormatException>(() => DnsQueryParser.Parse(message));
        Assert.Contains("1 bytes after its target name", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_SrvTooShort_ThrowsFormatException()
    {
        byte[] message = [0, 0, 0x84, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, (byte)'a', 0, 0, 33, 0, 1, 0, 0, 0, 0, 0, 3, 0, 0, 0];

        var e = Assert.Throws<DnsFormatException>(() => DnsQueryParser.Parse(message));
        Assert.Contains("too few for its fields", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_PtrTargetRunsPastItsData_ThrowsFormatException()
    {
        // The target "bb" + root needs 4 bytes, but the record declares 2 (the rest follows as stray bytes).
        byte[] message = [0, 0, 0x84, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, (byte)'a', 0, 0, 12, 0, 1, 0, 0, 0, 0, 0, 2, 2, (byte)'b', (byte)'b', 0];

        Assert.Throws<DnsFormatException>(() => DnsQueryParser.Parse(message));
    }

    [Fact]
    public void Parse_TooManyRecords_ThrowsFormatException()
    {
        byte[] message = [0, 0, 0x84, 0, 0, 0, 0, 100, 0, 100, 0, 100];

        var e = Assert.Throws<DnsFormatException>(() => DnsQueryParser.Parse(message));
        Assert.Contains($"at most {DnsQueryParser.MaxRecords}", e.Message, StringComparison.Ordinal);
    }
}
