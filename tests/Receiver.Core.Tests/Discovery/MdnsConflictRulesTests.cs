using System.Net;
using Receiver.Core.Discovery;

namespace Receiver.Core.Tests.Discovery;

public sealed class MdnsConflictRulesTests
{
    private static readonly DnsName Host = DnsName.Parse("host.local");
    private static readonly DnsName Instance = AirPlayServiceZone.AirPlayServiceType.Prepend("Living Room");

    private static DnsResourceRecord A(string address) => DnsResourceRecord.Address(Host, IPAddress.Parse(address), 120);

    private static DnsResourceRecord Srv(ushort port) => DnsResourceRecord.Srv(Instance, Host, port, 4500);

    private static DnsResourceRecord Txt(params byte[] data) => DnsResourceRecord.Txt(Instance, data, 4500);

    private static DnsQuery Response(params DnsResourceRecord[] answers) => new(0, true, 0, []) { Answers = answers };

    private static DnsQuery Probe(params DnsResourceRecord[] authorities) =>
        new(0, false, 0, [new DnsQuestion(authorities[0].Name, DnsRecordType.Any, 1, true)]) { Authorities = authorities };

    [Fact]
    public void CompareProbeRecords_RfcAddressExample_LaterAddressWins()
    {
        // RFC 6762 section 8.2: 169.254.200.50 is lexicographically later than 169.254.99.200 (200 > 99 in the
        // third byte), so the host proposing it wins.
        Assert.True(MdnsConflictRules.CompareProbeRecords([A("169.254.200.50")], [A("169.254.99.200")]) > 0);
        Assert.True(MdnsConflictRules.CompareProbeRecords([A("169.254.99.200")], [A("169.254.200.50")]) < 0);
    }

    [Fact]
    public void CompareProbeRecords_IdenticalSets_Zero() =>
        Assert.Equal(0, MdnsConflictRules.CompareProbeRecords([Srv(7000), Txt(1, 0x61)], [Txt(1, 0x61), Srv(7000)]));

    [Fact]
    public void CompareProbeRecords_TypeComparedBeforeData()
    {
        // Sorted, TXT (16) comes before SRV (33); each side's first record is its TXT, which decides.
        Assert.True(MdnsConflictRules.CompareProbeRecords([Srv(1), Txt(1, 0x62)], [Srv(65535), Txt(1, 0x61)]) > 0);

        // A set whose lowest record has the higher type is later.
        Assert.True(MdnsConflictRules.CompareProbeRecords([Srv(1)], [Txt(1, 0x61)]) > 0);
    }

    [Fact]
    public void CompareProbeRecords_SetsAreSortedBeforeComparison()
    {
        // Ours sorted: 10.0.0.1, 10.0.0.9; theirs: 10.0.0.1, 10.0.0.5 → the second pair decides, we win.
        Assert.True(MdnsConflictRules.CompareProbeRecords([A("10.0.0.9"), A("10.0.0.1")], [A("10.0.0.5"), A("10.0.0.1")]) > 0);
    }

    [Fact]
    public void CompareProbeRecords_EqualPrefixMoreRecordsWins()
    {
        Assert.True(MdnsConflictRules.CompareProbeRecords([A("10.0.0.1"), A("10.0.0.2")], [A("10.0.0.1")]) > 0);
        Assert.True(MdnsConflictRules.CompareProbeRecords([A("10.0.0.1")], [A("10.0.0.1"), A("10.0.0.2")]) < 0);
    }

    [Fact]
    public void CompareProbeRecords_DataComparedAsUnsignedBytes_ShorterPrefixIsEarlier()
    {
        Assert.True(MdnsConflictRules.CompareProbeRecords([Txt(1, 0x80)], [Txt(1, 0x7F)]) > 0);
        Assert.True(MdnsConflictRules.CompareProbeRecords([Txt(2, 0x61, 0x62)], [Txt(2, 0x61)]) > 0);
    }

    [Fact]
    public void FindResponseConflict_IdenticalRecordsLoopedBack_NoConflict() =>
        Assert.Null(MdnsConflictRules.FindResponseConflict(Response(Srv(7000).WithTtl(120), Txt(1, 0x61)), [Srv(7000), Txt(1, 0x61), A("10.0.0.1")]));

    [Fact]
    public void FindResponseConflict_SameNameOtherData_ReturnsName() =>
        Assert.Equal(Instance, MdnsConflictRules.FindResponseConflict(Response(Srv(7001)), [Srv(7000), Txt(1, 0x61)]));

    [Fact]
    public void FindResponseConflict_SameNameTypeWeDoNotHold_ReturnsName()
    {
        var nsec = new DnsResourceRecord(Host, DnsRecordType.Nsec, true, 120, new byte[] { 0xC0, 12, 0, 1, 0x40 });

        Assert.Equal(Host, MdnsConflictRules.FindResponseConflict(Response(nsec), [A("10.0.0.1")]));
    }

    [Fact]
    public void FindResponseConflict_InAdditionalSection_ReturnsName()
    {
        var response = new DnsQuery(0, true, 0, []) { Additionals = [A("10.0.0.2")] };

        Assert.Equal(Host, MdnsConflictRules.FindResponseConflict(response, [A("10.0.0.1")]));
    }

    [Fact]
    public void FindResponseConflict_GoodbyeOtherNameOrQuery_NoConflict()
    {
        Assert.Null(MdnsConflictRules.FindResponseConflict(Response(Srv(7001).WithTtl(0)), [Srv(7000)]));
        Assert.Null(MdnsConflictRules.FindResponseConflict(Response(DnsResourceRecord.Address(DnsName.Parse("other.local"), IPAddress.Loopback, 120)), [A("10.0.0.1")]));
        Assert.Null(MdnsConflictRules.FindResponseConflict(new DnsQuery(0, false, 0, []) { Answers = [Srv(7001)] }, [Srv(7000)]));
    }

    [Fact]
    public void FindLostTieBreak_TheirRecordsLater_ReturnsName() =>
        Assert.Equal(Host, MdnsConflictRules.FindLostTieBreak(Probe(A("169.254.200.50")), [A("169.254.99.200"), Srv(7000)]));

    [Fact]
    public void FindLostTieBreak_OursLaterOrOwnProbeLoopedBack_Null()
    {
        Assert.Null(MdnsConflictRules.FindLostTieBreak(Probe(A("169.254.99.200")), [A("169.254.200.50")]));
        Assert.Null(MdnsConflictRules.FindLostTieBreak(Probe(Srv(7000), Txt(1, 0x61), A("10.0.0.1")), [Srv(7000), Txt(1, 0x61), A("10.0.0.1")]));
    }

    [Fact]
    public void FindLostTieBreak_ResponseOrProbeForOtherNames_Null()
    {
        Assert.Null(MdnsConflictRules.FindLostTieBreak(new DnsQuery(0, true, 0, []) { Authorities = [A("169.254.200.50")] }, [A("169.254.99.200")]));
        var other = DnsResourceRecord.Address(DnsName.Parse("other.local"), IPAddress.Parse("169.254.200.50"), 120);
        Assert.Null(MdnsConflictRules.FindLostTieBreak(Probe(other), [A("169.254.99.200")]));
    }
}
