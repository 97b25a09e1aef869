using System.Buffers.Binary;
using System.Net;
using Receiver.Core.Discovery;

namespace Receiver.Core.Tests.Discovery;

public sealed class AirPlayServiceZoneTests
{
    /// <summary>The test receiver's one address (TEST-NET-1).</summary>
    internal static readonly IPAddress[] Addresses = [IPAddress.Parse("192.0.2.10")];

    private static readonly AirPlayServiceInfo Info =
        new("Den", "02:11:22:33:44:55", AirPlayServiceInfo.DefaultFeatures, new byte[32], 7000);

    /// <summary>The test receiver "Den" on port 7000.</summary>
    internal static readonly AirPlayServiceZone Zone = new(Info, "airplay-021122334455");

    private static DnsQuestion Question(string name, DnsRecordType type) => new(DnsName.Parse(name), type, 1, false);

    [Fact]
    public void Names_FollowServiceInfo()
    {
        Assert.Equal(new DnsName("Den", "_airplay", "_tcp", "local"), Zone.AirPlayInstance);
        Assert.Equal(new DnsName("021122334455@Den", "_raop", "_tcp", "local"), Zone.RaopInstance);
        Assert.Equal(DnsName.Parse("airplay-021122334455.local"), Zone.HostName);
    }

    [Fact]
    public void TxtData_EqualsPublishedRdata()
    {
        Assert.Equal(AirPlayTxtRecords.ToRdata(AirPlayTxtRecords.ForAirPlay(Info)), Zone.AirPlayTxtData.ToArray());
        Assert.Equal(AirPlayTxtRecords.ToRdata(AirPlayTxtRecords.ForRaop(Info)), Zone.RaopTxtData.ToArray());
    }

    [Fact]
    public void Answer_ServiceTypePtr_PtrWithSrvTxtAndAddressAdditionals()
    {
        var answer = Zone.Answer([Question("_airplay._tcp.local", DnsRecordType.Ptr)], Addresses);

        var ptr = Assert.Single(answer.Answers);
        Assert.Equal(DnsRecordType.Ptr, ptr.Type);
        Assert.False(ptr.CacheFlush);
        Assert.Equal(AirPlayServiceZone.ServiceTtl, ptr.Ttl);
        Assert.Equal([DnsRecordType.Srv, DnsRecordType.Txt, DnsRecordType.A], answer.Additionals.Select(r => r.Type));
        Assert.Equal(Addresses[0].GetAddressBytes(), answer.Additionals[2].Data.ToArray());
        Assert.Equal(AirPlayServiceZone.HostTtl, answer.Additionals[2].Ttl);
    }

    [Fact]
    public void Answer_RaopSrv_PointsToHostOnControlPort()
    {
        var answer = Zone.Answer([new DnsQuestion(Zone.RaopInstance, DnsRecordType.Srv, 1, false)], Addresses);

        var srv = Assert.Single(answer.Answers);
        Assert.True(srv.CacheFlush);
        var data = srv.Data.Span;
        Assert.Equal(7000, BinaryPrimitives.ReadUInt16BigEndian(data[4..]));
        var target = new byte[Zone.HostName.EncodedLength];
        Zone.HostName.WriteTo(target);
        Assert.Equal(target, data[6..].ToArray());
        Assert.Equal(DnsRecordType.A, Assert.Single(answer.Additionals).Type);
    }

    [Fact]
    public void Answer_InstanceAny_SrvAndTxt()
    {
        var answer = Zone.Answer([new DnsQuestion(Zone.AirPlayInstance, DnsRecordType.Any, 1, false)], Addresses);

        Assert.Equal([DnsRecordType.Srv, DnsRecordType.Txt], answer.Answers.Select(r => r.Type));
        Assert.Equal(Zone.AirPlayTxtData.ToArray(), answer.Answers[1].Data.ToArray());
    }

    [Fact]
    public void Answer_ServiceEnumeration_BothServiceTypes()
    {
        var answer = Zone.Answer([Question("_services._dns-sd._udp.local", DnsRecordType.Ptr)], Addresses);

        Assert.Equal(2, answer.Answers.Count);
        Assert.Empty(answer.Additionals);
    }

    [Fact]
    public void Answer_HostA_AddressOfInterface()
    {
        var answer = Zone.Answer([Question("AIRPLAY-021122334455.local", DnsRecordType.A)], Addresses);

        Assert.Equal(Addresses[0].GetAddressBytes(), Assert.Single(answer.Answers).Data.ToArray());
    }

    [Theory]
    [InlineData("_googlecast._tcp.local", DnsRecordType.Ptr)]
    [InlineData("_airplay._tcp.local", DnsRecordType.Srv)]
    [InlineData("other.local", DnsRecordType.A)]
    public void Answer_NotOurs_Empty(string name, DnsRecordType type) =>
        Assert.True(Zone.Answer([Question(name, type)], Addresses).IsEmpty);

    [Fact]
    public void Answer_SameRecordAskedTwice_AnsweredOnceAndNotRepeatedAsAdditional()
    {
        var answer = Zone.Answer(
            [Question("_raop._tcp.local", DnsRecordType.Ptr), new DnsQuestion(Zone.RaopInstance, DnsRecordType.Srv, 1, false), new DnsQuestion(Zone.RaopInstance, DnsRecordType.Srv, 1, false)],
            Addresses);

        Assert.Equal([DnsRecordType.Ptr, DnsRecordType.Srv], answer.Answers.Select(r => r.Type));
        Assert.Equal([DnsRecordType.Txt, DnsRecordType.A], answer.Additionals.Select(r => r.Type));
    }

    [Fact]
    public void AllRecords_ServicesAndAddresses()
    {
        var records = Zone.AllRecords(Addresses);

        Assert.Equal(9, records.Count);
        Assert.Equal(2, records.Count(r => r.Type == DnsRecordType.Srv));
        Assert.Equal(2, records.Count(r => r.Type == DnsRecordType.Txt));
        Assert.Equal(4, records.Count(r => r.Type == DnsRecordType.Ptr));
        Assert.Single(records, r => r.Type == DnsRecordType.A);
    }

    [Fact]
    public void Constructor_InstanceNameLongerThanLabel_Throws() =>
        Assert.Throws<ArgumentException>(() => new AirPlayServiceZone(Info with { Name = new string('n', 64) }, "host"));

    [Fact]
    public void UniqueRecords_SrvTxtOfBothInstancesAndAddresses()
    {
        var unique = Zone.UniqueRecords(Addresses);

        Assert.Equal(5, unique.Count);
        Assert.All(unique, r => Assert.True(r.CacheFlush));
        Assert.Equal(2, unique.Count(r => r.Name.Equals(Zone.AirPlayInstance)));
        Assert.Equal(2, unique.Count(r => r.Name.Equals(Zone.RaopInstance)));
        Assert.Equal(DnsResourceRecord.Address(Zone.HostName, Addresses[0], AirPlayServiceZone.HostTtl), unique[^1]);
    }

    [Fact]
    public void ProbeQuestions_AnyForEachUniqueName_HostOnlyWithAddresses()
    {
        var questions = Zone.ProbeQuestions(Addresses);

        Assert.Equal([Zone.AirPlayInstance, Zone.RaopInstance, Zone.HostName], questions.Select(q => q.Name));
        Assert.All(questions, q => Assert.Equal((DnsRecordType.Any, (ushort)1), (q.Type, q.Class)));
        Assert.Equal(2, Zone.ProbeQuestions([]).Count);
    }

    [Fact]
    public void ProbeQuestions_AskForMulticastAnswers()
    {
        // A defence sent by unicast to port 5353 reaches only one of the responders sharing it (RFC 6762 section 15.1).
        var probe = DnsQueryParser.Parse(DnsProbeWriter.Write(Zone.ProbeQuestions(Addresses), Zone.UniqueRecords(Addresses)));

        Assert.Equal(3, probe.Questions.Count);
        Assert.All(probe.Questions, q => Assert.False(q.UnicastResponse, q.Name + " asks for a unicast answer"));
    }

    [Fact]
    public void Renamed_InstanceConflict_BothInstancesMoveOnHostStays()
    {
        var renamed = Zone.Renamed(Zone.RaopInstance);

        Assert.Equal(new DnsName("Den (2)", "_airplay", "_tcp", "local"), renamed.AirPlayInstance);
        Assert.Equal(new DnsName("021122334455@Den (2)", "_raop", "_tcp", "local"), renamed.RaopInstance);
        Assert.Equal("Den (2)", renamed.Info.InstanceName);
        Assert.Equal(Zone.HostName, renamed.HostName);
        Assert.Equal(new DnsName("Den (3)", "_airplay", "_tcp", "local"), renamed.Renamed(renamed.AirPlayInstance).AirPlayInstance);
    }

    [Fact]
    public void Renamed_HostConflict_HostMovesOnNamesStay()
    {
        var renamed = Zone.Renamed(Zone.HostName);

        Assert.Equal(DnsName.Parse("airplay-021122334455-2.local"), renamed.HostName);
        Assert.Equal(Zone.AirPlayInstance, renamed.AirPlayInstance);
        Assert.Equal(Zone.RaopInstance, renamed.RaopInstance);
    }

    [Fact]
    public void Renamed_LongName_RaopLabelStillFits()
    {
        var zone = new AirPlayServiceZone(Info with { Name = new string('x', 50) }, "h");

        var renamed = zone.Renamed(zone.AirPlayInstance);

        Assert.Equal(DnsName.MaxLabelLength, System.Text.Encoding.UTF8.GetByteCount(renamed.RaopInstance.Labels[0]));
        Assert.EndsWith(" (2)", renamed.AirPlayInstance.Labels[0], StringComparison.Ordinal);
    }
}
