namespace Receiver.Core.Discovery;

/// <summary>The parts of a received DNS message (query or response) that a responder needs.</summary>
/// <param name="Id">Message id (echoed in legacy unicast replies).</param>
/// <param name="IsResponse">QR bit: the message is a response, not a query.</param>
/// <param name="Opcode">Opcode; only 0 (standard query) is answered.</param>
/// <param name="Questions">Question section.</param>
public sealed record DnsQuery(ushort Id, bool IsResponse, int Opcode, IReadOnlyList<DnsQuestion> Questions)
{
    /// <summary>Answer section (class IN records only).</summary>
    public IReadOnlyList<DnsResourceRecord> Answers { get; init; } = [];

    /// <summary>Authority section: in an mDNS probe, the records the prober proposes to own (RFC 6762 section 8.2).</summary>
    public IReadOnlyList<DnsResourceRecord> Authorities { get; init; } = [];

    /// <summary>Additional section (class IN records only).</summary>
    public IReadOnlyList<DnsResourceRecord> Additionals { get; init; } = [];
}
