using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Receiver.Core.Discovery;

/// <summary>A resource record with its data already in wire form.</summary>
/// <param name="Name">Owner name.</param>
/// <param name="Type">Record type.</param>
/// <param name="CacheFlush">mDNS cache-flush bit: this responder owns every record of this name and type (RFC 6762 section 10.2).</param>
/// <param name="Ttl">Time to live in seconds; 0 announces that the record is gone ("goodbye").</param>
/// <param name="Data">RDATA bytes.</param>
public sealed record DnsResourceRecord(DnsName Name, DnsRecordType Type, bool CacheFlush, uint Ttl, ReadOnlyMemory<byte> Data)
{
    /// <summary>Class IN.</summary>
    public const ushort ClassInternet = 1;

    /// <summary>Bytes this record takes on the wire (uncompressed owner name).</summary>
    public int EncodedLength => Name.EncodedLength + 10 + Data.Length;

    public static DnsResourceRecord Ptr(DnsName name, DnsName target, uint ttl) =>
        new(name, DnsRecordType.Ptr, false, ttl, EncodeName(target));

    public static DnsResourceRecord Srv(DnsName name, DnsName target, ushort port, uint ttl)
    {
        var data = new byte[6 + target.EncodedLength];
        BinaryPrimitives.WriteUInt16BigEndian(data, 0);
        BinaryPrimitives.WriteUInt16BigEndian(data.AsSpan(2), 0);
        BinaryPrimitives.WriteUInt16BigEndian(data.AsSpan(4), port);
        target.WriteTo(data.AsSpan(6));
        return new(name, DnsRecordType.Srv, true, ttl, data);
    }

    public static DnsResourceRecord Txt(DnsName name, ReadOnlyMemory<byte> rdata, uint ttl) =>
        new(name, DnsRecordType.Txt, true, ttl, rdata);

    public static DnsResourceRecord Address(DnsName name, IPAddress address, uint ttl)
    {
        ArgumentNullException.ThrowIfNull(address);
        var type = address.AddressFamily switch
        {
            AddressFamily.InterNetwork => DnsRecordType.A,
            AddressFamily.InterNetworkV6 => DnsRecordType.Aaaa,
            _ => throw new ArgumentException($"Address family {address.AddressFamily} has no DNS record type.", nameof(address)),
        };
        return new(name, type, true, ttl, address.GetAddressBytes());
    }

    /// <summary>Records are equal when name, type, cache-flush bit, TTL and data bytes are equal.</summary>
    public bool Equals(DnsResourceRecord? other) =>
        other is not null
        && Name.Equals(other.Name)
        && Type == other.Type
        && CacheFlush == other.CacheFlush
        && Ttl == other.Ttl
        && Data.Span.SequenceEqual(other.Data.Span);

    public override int GetHashCode() => HashCode.Combine(Name, Type, Ttl, Data.Length);

    /// <summary>The same record with another TTL (0 for a goodbye).</summary>
    public DnsResourceRecord WithTtl(uint ttl) => this with { Ttl = ttl };

    /// <summary>Writes the record and returns the number of bytes written.</summary>
    public int WriteTo(Span<byte> destination, bool useCacheFlushBit)
    {
        var offset = Name.WriteTo(destination);
        BinaryPrimitives.WriteUInt16BigEndian(destination[offset..], (ushort)Type);
        var recordClass = (ushort)(ClassInternet | (useCacheFlushBit && CacheFlush ? 0x8000 : 0));
        BinaryPrimitives.WriteUInt16BigEndian(destination[(offset + 2)..], recordClass);
        BinaryPrimitives.WriteUInt32BigEndian(destination[(offset + 4)..], Ttl);
        BinaryPrimitives.WriteUInt16BigEndian(destination[(offset + 8)..], (ushort)Data.Length);
        Data.Span.CopyTo(destination[(offset + 10)..]);
        return offset + 10 + Data.Length;
    }

    private static byte[] EncodeName(DnsName name)
    {
        var data = new byte[name.EncodedLength];
        name.WriteTo(data);
        return data;
    }
}
