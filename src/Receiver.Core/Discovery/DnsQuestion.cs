namespace Receiver.Core.Discovery;

/// <summary>One entry of a DNS question section.</summary>
/// <param name="Name">Queried name.</param>
/// <param name="Type">Queried record type (raw value, so unknown types survive parsing).</param>
/// <param name="Class">Class without the top bit (1 = IN).</param>
/// <param name="UnicastResponse">The mDNS "QU" bit: the querier prefers a unicast answer (RFC 6762 section 5.4).</param>
public sealed record DnsQuestion(DnsName Name, DnsRecordType Type, ushort Class, bool UnicastResponse);
