using System.Net;
using Receiver.Core.Discovery;

namespace Receiver.Core.Tests.Discovery;

/// <summary>RFC 6762 section 7.1: records the querier already holds (with at least half their TTL) are not sent again.</summary>
public sealed class KnownAnswerSuppressionTests
{
    private static readonly IPAddress[] Addresses = AirPlayServiceZoneTests.Addresses;

    private static readonly AirPlayServiceZone Zone = AirPlayServiceZoneTests.Zone;

    private static readonly DnsQuestion AirPlayPtrQuestion = new(DnsName.Parse("_airplay._tcp.local"), DnsRecordType.Ptr, 1, false);

    private static DnsResourceRecord AirPlayPtr(uint ttl) => DnsResourceRecord.Ptr(AirPlayServiceZone.AirPlayServiceType, Zone.AirPlayInstance, ttl);

    [Fact]
    public void WithoutKnownAnswers_PtrKnownWithFullTtl_NothingLeftToSend()
    {
        var answer = Zone.Answer([AirPlayPtrQuestion], Addresses).WithoutKnownAnswers([AirPlayPtr(AirPlayServiceZone.ServiceTtl)]);

        Assert.True(answer.IsEmpty);
    }

    [Theory]
    [InlineData(AirPlayServiceZone.ServiceTtl / 2, true)]
    [InlineData((AirPlayServiceZone.ServiceTtl / 2) - 1, false)]
    [InlineData(1u, false)]
    public void WithoutKnownAnswers_KnownTtl_SuppressesFromHalfTheTtl(uint knownTtl, bool suppressed)
    {
        var answer = Zone.Answer([AirPlayPtrQuestion], Addresses).WithoutKnownAnswers([AirPlayPtr(knownTtl)]);

        Assert.Equal(suppressed, answer.IsEmpty);
    }

    [Fact]
    public void WithoutKnownAnswers_AnotherReceiversPtr_StillAnswered()
    {
        var other = DnsResourceRecord.Ptr(AirPlayServiceZone.AirPlayServiceType, new DnsName("Kitchen", "_airplay", "_tcp", "local"), AirPlayServiceZone.ServiceTtl);

        var answer = Zone.Answer([AirPlayPtrQuestion], Addresses).WithoutKnownAnswers([other]);

        Assert.Equal(AirPlayPtr(AirPlayServiceZone.ServiceTtl), Assert.Single(answer.Answers));
    }

    [Fact]
    public void WithoutKnownAnswers_OtherType_StillAnswered()
    {
        var known = Zone.Answer([AirPlayPtrQuestion], Addresses).Additionals.First(r => r.Type == DnsRecordType.Txt);
        var sameNameOtherType = new DnsResourceRecord(known.Name, DnsRecordType.Srv, true, known.Ttl, known.Data);

        var answer = Zone.Answer([AirPlayPtrQuestion], Addresses).WithoutKnownAnswers([sameNameOtherType]);

        Assert.Single(answer.Answers);
        Assert.Contains(answer.Additionals, r => r.Type == DnsRecordType.Txt);
    }

    [Fact]
    public void WithoutKnownAnswers_KnownAdditionals_LeftOutOfTheAdditionalSection()
    {
        var full = Zone.Answer([AirPlayPtrQuestion], Addresses);
        var srvAndTxt = full.Additionals.Where(r => r.Type is DnsRecordType.Srv or DnsRecordType.Txt).ToList();

        var answer = full.WithoutKnownAnswers(srvAndTxt);

        Assert.Single(answer.Answers);
        Assert.Equal([DnsRecordType.A], answer.Additionals.Select(r => r.Type));
    }

    [Fact]
    public void WithoutKnownAnswers_QueryFromTheWire_NameComparedCaseInsensitively()
    {
        // A browser's repeated query: the question plus, in the answer section, the PTR it already caches (owner
        // name in other letter case, no cache-flush bit, remaining TTL).
        var known = new DnsResourceRecord(DnsName.Parse("_AirPlay._TCP.local"), DnsRecordType.Ptr, false, 4000, AirPlayPtr(0).Data);
        var datagram = DnsResponseWriter.Write([known], [], legacyUnicast: true, id: 0, questions: [AirPlayPtrQuestion]);
        datagram[2] &= 0x7F; // QR = 0: a query that carries known answers
        var query = DnsQueryParser.Parse(datagram);
        Assert.False(query.IsResponse);

        var answer = Zone.Answer(query.Questions, Addresses).WithoutKnownAnswers(query.Answers);

        Assert.True(answer.IsEmpty);
    }

    [Fact]
    public void WithoutKnownAnswers_NoKnownAnswers_SameSet()
    {
        var full = Zone.Answer([AirPlayPtrQuestion], Addresses);

        Assert.Same(full, full.WithoutKnownAnswers([]));
    }
}
