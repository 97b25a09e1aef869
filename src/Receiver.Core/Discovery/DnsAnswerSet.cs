namespace Receiver.Core.Discovery;

/// <summary>Records that answer a set of questions, plus the additional records that help the querier.</summary>
public sealed record DnsAnswerSet(IReadOnlyList<DnsResourceRecord> Answers, IReadOnlyList<DnsResourceRecord> Additionals)
{
    public bool IsEmpty => Answers.Count == 0;
}
