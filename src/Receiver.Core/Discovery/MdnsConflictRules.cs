namespace Receiver.Core.Discovery;

/// <summary>
/// The decisions of RFC 6762 sections 8.2 and 9 about names a responder owns or is probing for; pure, no I/O.
/// "Ours" is always the set of unique records the responder has proposed or announced.
/// </summary>
public static class MdnsConflictRules
{
    /// <summary>
    /// The first of our unique names that <paramref name="message"/>, a response, claims with a record we do not
    /// hold: same name but another type or other data. Identical records (our own packets looped back, or a cache
    /// repeating them) and goodbyes (TTL 0) are no conflict. Null when there is none or the message is a query.
    /// </summary>
    public static DnsName? FindResponseConflict(DnsQuery message, IReadOnlyList<DnsResourceRecord> ours)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(ours);
        if (!message.IsResponse)
        {
            return null;
        }

        foreach (var record in message.Answers.Concat(message.Authorities).Concat(message.Additionals))
        {
            if (record.Ttl == 0 || !ours.Any(o => o.Name.Equals(record.Name)))
            {
                continue;
            }

            if (!ours.Any(o => o.Name.Equals(record.Name) && o.Type == record.Type && o.Data.Span.SequenceEqual(record.Data.Span)))
            {
                return record.Name;
            }
        }

        return null;
    }

    /// <summary>
    /// The first of our names for which <paramref name="message"/>, another host's probe, proposes records that
    /// win the simultaneous probe tie-break (RFC 6762 section 8.2), so that we must defer. Null when we win, when
    /// the records are identical (our own probe looped back) or when the message is not a probe for our names.
    /// </summary>
    public static DnsName? FindLostTieBreak(DnsQuery message, IReadOnlyList<DnsResourceRecord> ours)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(ours);
        if (message.IsResponse || message.Authorities.Count == 0)
        {
            return null;
        }

        foreach (var name in ours.Select(o => o.Name).Distinct())
        {
            var theirs = message.Authorities.Where(r => r.Name.Equals(name)).ToList();
            if (theirs.Count > 0 && CompareProbeRecords(ours.Where(o => o.Name.Equals(name)).ToList(), theirs) < 0)
            {
                return name;
            }
        }

        return null;
    }

    /// <summary>
    /// Compares two hosts' proposed records for one name as RFC 6762 section 8.2 prescribes: each set sorted into
    /// ascending order, then compared pairwise by class (without the cache-flush bit; always IN here), type, and
    /// record data as unsigned bytes; the first difference decides, and when one set runs out first the host
    /// with more records is later. Positive: ours are lexicographically later (we win); negative: we lose;
    /// zero: identical.
    /// </summary>
    public static int CompareProbeRecords(IReadOnlyList<DnsResourceRecord> ours, IReadOnlyList<DnsResourceRecord> theirs)
    {
        ArgumentNullException.ThrowIfNull(ours);
        ArgumentNullException.ThrowIfNull(theirs);
        var a = ours.Order(RecordOrder.Instance).ToList();
        var b = theirs.Order(RecordOrder.Instance).ToList();
        for (var i = 0; i < Math.Min(a.Count, b.Count); i++)
        {
            var c = RecordOrder.Instance.Compare(a[i], b[i]);
            if (c != 0)
            {
                return c;
            }
        }

        return a.Count.CompareTo(b.Count);
    }

    private sealed class RecordOrder : IComparer<DnsResourceRecord>
    {
        public static readonly RecordOrder Instance = new();

        public int Compare(DnsResourceRecord? x, DnsResourceRecord? y)
        {
            ArgumentNullException.ThrowIfNull(x);
            ArgumentNullException.ThrowIfNull(y);
            var c = ((ushort)x.Type).CompareTo((ushort)y.Type);
            return c != 0 ? c : x.Data.Span.SequenceCompareTo(y.Data.Span);
        }
    }
}
