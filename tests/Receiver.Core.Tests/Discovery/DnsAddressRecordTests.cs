using System.Buffers.Binary;
using System.Net;
using Receiver.Core.Discovery;

namespace Receiver.Core.Tests.Discovery;

/// <summary>Writing and reading A and AAAA records.</summary>
public sealed class DnsAddressRecordTests
{
    private static readonly DnsName Host = DnsName.Parse("host.local");

    [Fact]
    public void Address_Ipv6_AaaaWithSixteenBytesAndNoScope()
    {
        var record = DnsResourceRecord.Address(Host, IPAddress.Parse("fe80::1%3"), 120);

        Assert.Equal(DnsRecordType.Aaaa, record.Type);
        Assert.True(record.CacheFlush);
        Assert.Equal(IPAddress.Parse("fe80::1").GetAddressBytes(), record.Data.ToArray());
    }

    [Fact]
    public void WriteTo_Aaaa_TypeClassTtlAndSixteenByteRdata()
    {
        var record = DnsResourceRecord.Address(Host, IPAddress.Parse("2001:db8::1"), 120);
        var buffer = new byte[record.EncodedLength];

        var written = record.WriteTo(buffer, useCacheFlushBit: true);

        Assert.Equal(buffer.Length, written);
        var fixedPart = buffer.AsSpan(Host.EncodedLength);
        Assert.Equal(28, BinaryPrimitives.ReadUInt16BigEndian(fixedPart));
        Assert.Equal(0x8001, BinaryPrimitives.ReadUInt16BigEndian(fixedPart[2..]));
        Assert.Equal(120u, BinaryPrimitives.ReadUInt32BigEndian(fixedPart[4..]));
        Assert.Equal(16, BinaryPrimitives.ReadUInt16BigEndian(fixedPart[8..]));
        Assert.Equal(IPAddress.Parse("2001:db8::1").GetAddressBytes(), fixedPart[10..].ToArray());
    }

    [Fact]
    public void Parse_ResponseWithAAndAaaa_RoundTrips()
    {
        DnsResourceRecord[] records =
        [
            DnsResourceRecord.Address(Host, IPAddress.Parse("192.0.2.1"), 120),
            DnsResourceRecord.Address(Host, IPAddress.Parse("fe80::abcd"), 120),
            DnsResourceRecord.Address(Host, IPAddress.IPv6Loopback, 120),
        ];

        var parsed = DnsQueryParser.Parse(DnsResponseWriter.Write(records, []));

        Assert.Equal(records, parsed.Answers);
        Assert.Equal(IPAddress.IPv6Loopback, new IPAddress(parsed.Answers[2].Data.Span));
    }

    [Theory]
    [InlineData(DnsRecordType.Aaaa, 0)]
    [InlineData(DnsRecordType.Aaaa, 4)]
    [InlineData(DnsRecordType.Aaaa, 15)]
    [InlineData(DnsRecordType.Aaaa, 17)]
    [InlineData(DnsRecordType.A, 3)]
    [InlineData(DnsRecordType.A, 16)]
    public void Parse_AddressRecordWithWrongLength_ThrowsFormatException(DnsRecordType type, int length)
    {
        var record = new DnsResourceRecord(Host, type, true, 120, new byte[length]);

        var e = Assert.Throws<DnsFormatException>(() => DnsQueryParser.Parse(DnsResponseWriter.Write([record], [])));
        Assert.Contains("address record", e.Message, StringComparison.Ordinal);
    }
}
