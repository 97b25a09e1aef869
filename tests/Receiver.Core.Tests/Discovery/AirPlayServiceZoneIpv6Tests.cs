using System.Net;
using Receiver.Core.Discovery;

namespace Receiver.Core.Tests.Discovery;

/// <summary>The zone's AAAA records for an interface's IPv6 addresses, next to its A records.</summary>
public sealed class AirPlayServiceZoneIpv6Tests
{
    private static readonly IPAddress V4 = IPAddress.Parse("192.0.2.10");
    private static readonly IPAddress LinkLocal = IPAddress.Parse("fe80::1234:5678:9abc:def0%2");
    private static readonly IPAddress Global = IPAddress.Parse("2001:db8::10");
    private static readonly IPAddress[] DualStack = [V4, LinkLocal, Global];

    private static readonly AirPlayServiceZone Zone =
        new(new AirPlayServiceInfo("Den", "02:11:22:33:44:55", AirPlayServiceInfo.DefaultFeatures, new byte[32], 7000), "airplay-021122334455");

    private static DnsQuestion Question(string name, DnsRecordType type) => new(DnsName.Parse(name), type, 1, false);

    private static DnsResourceRecord Aaaa(IPAddress address) => DnsResourceRecord.Address(Zone.HostName, address, AirPlayServiceZone.HostTtl);

    [Fact]
    public void Answer_HostAaaa_OnlyIpv6AddressesWithSixteenByteData()
    {
        var answer = Zone.Answer([Question("airplay-021122334455.local", DnsRecordType.Aaaa)], DualStack);

        Assert.Equal([Aaaa(LinkLocal), Aaaa(Global)], answer.Answers);
        Assert.All(answer.Answers, r =>
        {
            Assert.Equal(DnsRecordType.Aaaa, r.Type);
            Assert.True(r.CacheFlush);
            Assert.Equal(16, r.Data.Length);
        });
        Assert.Equal(IPAddress.Parse("fe80::1234:5678:9abc:def0").GetAddressBytes(), answer.Answers[0].Data.ToArray());
        Assert.Empty(answer.Additionals);
    }

    [Fact]
    public void Answer_HostA_LeavesOutIpv6()
    {
        var answer = Zone.Answer([Question("airplay-021122334455.local", DnsRecordType.A)], DualStack);

        var a = Assert.Single(answer.Answers);
        Assert.Equal(V4.GetAddressBytes(), a.Data.ToArray());
    }

    [Fact]
    public void Answer_HostAny_AAndAaaa()
    {
        var answer = Zone.Answer([Question("airplay-021122334455.local", DnsRecordType.Any)], DualStack);

        Assert.Equal([DnsRecordType.A, DnsRecordType.Aaaa, DnsRecordType.Aaaa], answer.Answers.Select(r => r.Type));
    }

    [Fact]
    public void Answer_ServiceTypePtr_AdditionalsCarryAAndAaaa()
    {
        var answer = Zone.Answer([Question("_airplay._tcp.local", DnsRecordType.Ptr)], DualStack);

        Assert.Contains(Aaaa(LinkLocal), answer.Additionals);
        Assert.Contains(Aaaa(Global), answer.Additionals);
        Assert.Contains(answer.Additionals, r => r.Type == DnsRecordType.A);
    }

    [Fact]
    public void Answer_InstanceSrv_AdditionalsCarryAaaa()
    {
        var answer = Zone.Answer([Question("Den._airplay._tcp.local", DnsRecordType.Srv)], [Global]);

        Assert.Equal([Aaaa(Global)], answer.Additionals);
    }

    [Fact]
    public void UniqueRecords_ProbeAuthorityCarriesAaaa()
    {
        var unique = Zone.UniqueRecords(DualStack);
        var probe = DnsQueryParser.Parse(DnsProbeWriter.Write(Zone.ProbeQuestions(DualStack), unique));

        Assert.Contains(Aaaa(Global), unique);
        Assert.Equal(3, probe.Authorities.Count(r => r.Name.Equals(Zone.HostName)));
        Assert.Contains(probe.Authorities, r => r.Type == DnsRecordType.Aaaa && r.Data.Span.SequenceEqual(Global.GetAddressBytes()));
    }

    [Fact]
    public void AllRecords_GoodbyeCarriesAaaaWithTtlZero()
    {
        var goodbye = Zone.AllRecords(DualStack).Select(r => r.WithTtl(0)).ToList();
        var parsed = DnsQueryParser.Parse(DnsResponseWriter.Write(goodbye, []));

        Assert.Contains(parsed.Answers, r => r.Type == DnsRecordType.Aaaa && r.Ttl == 0 && r.Data.Span.SequenceEqual(LinkLocal.GetAddressBytes()));
    }
}
