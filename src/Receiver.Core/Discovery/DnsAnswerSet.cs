namespace Receiver.Core.Discovery;

/// <summary>Records that answer a set of questions, plus the additional records that help the querier.</summary>
public sealed record DnsAnswerSet(IReadOnlyList<DnsResourceRecord> Answers, IReadOnlyList<DnsResourceRecord> Additionals)
{
    public bool IsEmpty => Answers.Count == 0;

    /// <summary>
    /// Known-answer suppression (RFC 6762 section 7.1): leaves out every record that the querier listed in its
    /// query's answer section with at least half of the record's TTL, since the querier already holds it. Records
    /// match by name (case-insensitively), type and data.
    /// </summary>
    public DnsAnswerSet WithoutKnownAnswers(IReadOnlyList<DnsResourceRecord> knownAnswers)
    {
        ArgumentNullException.ThrowIfNull(knownAnswers);
        if (knownAnswers.Count == 0)
        {
            return this;
        }

        bool Known(DnsResourceRecord record) => knownAnswers.Any(k =>
            k.Type == record.Type
            && k.Ttl >= record.Ttl / 2.0
            && k.Name.Equals(record.Name)
            && k.Data.Span.SequenceEqual(record.Data.Span));

        return new DnsAnswerSet(Answers.Where(r => !Known(r)).ToList(), Additionals.Where(r => !Known(r)).ToList());
    }
}
