namespace Receiver.Core.Discovery;

/// <summary>The parts of a received DNS message that a responder needs.</summary>
/// <param name="Id">Message id (echoed in legacy unicast replies).</param>
/// <param name="IsResponse">QR bit: the message is a response, not a query.</param>
/// <param name="Opcode">Opcode; only 0 (standard query) is answered.</param>
/// <param name="Questions">Question section.</param>
public sealed record DnsQuery(ushort Id, bool IsResponse, int Opcode, IReadOnlyList<DnsQuestion> Questions);
