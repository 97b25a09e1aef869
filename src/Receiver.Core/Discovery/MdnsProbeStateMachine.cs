namespace Receiver.Core.Discovery;

/// <summary>
/// Probing and announcing of a set of unique records (RFC 6762 sections 8.1, 8.2, 8.3 and 9), with time passed in:
/// the caller asks <see cref="Next"/> what to do, feeds every received message to <see cref="Observe"/>, and after a
/// conflict calls <see cref="Begin"/> with records under a new name. Pure, no I/O, not thread-safe.
/// </summary>
public sealed class MdnsProbeStateMachine
{
    /// <summary>Probes sent before the names are taken as ours.</summary>
    public const int ProbeCount = 3;

    /// <summary>Announcements sent once the names are ours.</summary>
    public const int AnnouncementCount = 2;

    /// <summary>Conflicts within <see cref="ConflictWindow"/> after which every probe series waits <see cref="RateLimitDelay"/>.</summary>
    public const int ConflictLimit = 15;

    public static readonly TimeSpan ProbeInterval = TimeSpan.FromMilliseconds(250);

    /// <summary>Upper bound of the random delay before the first probe.</summary>
    public static readonly TimeSpan MaxInitialDelay = TimeSpan.FromMilliseconds(250);

    public static readonly TimeSpan AnnouncementInterval = TimeSpan.FromSeconds(1);

    /// <summary>Wait after losing a simultaneous probe tie-break.</summary>
    public static readonly TimeSpan TieBreakDelay = TimeSpan.FromSeconds(1);

    public static readonly TimeSpan ConflictWindow = TimeSpan.FromSeconds(10);

    public static readonly TimeSpan RateLimitDelay = TimeSpan.FromSeconds(5);

    private readonly Func<TimeSpan> initialDelay;
    private readonly Queue<DateTimeOffset> conflicts = new();
    private DateTimeOffset due;
    private int sent;

    /// <param name="initialDelay">Delay before the first probe of a series, 0–250 ms (random in production).</param>
    public MdnsProbeStateMachine(Func<TimeSpan> initialDelay)
    {
        ArgumentNullException.ThrowIfNull(initialDelay);
        this.initialDelay = initialDelay;
    }

    public MdnsProbeState State { get; private set; }

    /// <summary>The unique records being probed for or owned.</summary>
    public IReadOnlyList<DnsResourceRecord> Records { get; private set; } = [];

    /// <summary>Conflicts seen in the last <see cref="ConflictWindow"/> as of the last <see cref="Begin"/>.</summary>
    public int RecentConflicts => conflicts.Count;

    /// <summary>True when the last <see cref="Begin"/> was held back by the rate limit.</summary>
    public bool RateLimited { get; private set; }

    /// <summary>Starts a probe series for <paramref name="records"/> (first probe after the initial delay, or 5 s when rate limited).</summary>
    public void Begin(IReadOnlyList<DnsResourceRecord> records, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(records);
        if (records.Count == 0)
        {
            throw new ArgumentException("At least one unique record is needed to probe.", nameof(records));
        }

        while (conflicts.Count > 0 && now - conflicts.Peek() >= ConflictWindow)
        {
            conflicts.Dequeue();
        }

        RateLimited = conflicts.Count >= ConflictLimit;
        Records = records;
        State = MdnsProbeState.Probing;
        sent = 0;
        due = now + (RateLimited ? RateLimitDelay : Clamp(initialDelay()));
    }

    /// <summary>What to do at <paramref name="now"/>; a returned probe or announcement counts as sent.</summary>
    public MdnsProbeAction Next(DateTimeOffset now)
    {
        if (State is MdnsProbeState.Idle or MdnsProbeState.Announced)
        {
            return new MdnsProbeAction(MdnsProbeActionKind.None);
        }

        if (now < due)
        {
            return new MdnsProbeAction(MdnsProbeActionKind.Wait, due);
        }

        if (State == MdnsProbeState.Probing)
        {
            if (sent < ProbeCount)
            {
                sent++;
                due = now + ProbeInterval;
                return new MdnsProbeAction(MdnsProbeActionKind.Probe);
            }

            State = MdnsProbeState.Announcing;
            sent = 0;
        }

        sent++;
        due = now + AnnouncementInterval;
        if (sent >= AnnouncementCount)
        {
            State = MdnsProbeState.Announced;
        }

        return new MdnsProbeAction(MdnsProbeActionKind.Announce, FirstAnnouncement: sent == 1);
    }

    /// <summary>
    /// Takes a received message into account. A response claiming one of our names with other data is a conflict
    /// while probing (the state becomes <see cref="MdnsProbeState.Idle"/> until the next <see cref="Begin"/>) and a
    /// challenge once announced (probing restarts under the same names); another host's probe that wins the tie-break while we probe restarts our series one second later.
    /// </summary>
    public MdnsObservation Observe(DnsQuery message, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (State == MdnsProbeState.Idle)
        {
            return MdnsObservation.None;
        }

        if (MdnsConflictRules.FindResponseConflict(message, Records) is { } conflict)
        {
            conflicts.Enqueue(now);
            if (State is MdnsProbeState.Announcing or MdnsProbeState.Announced)
            {
                Begin(Records, now);
                return new MdnsObservation(MdnsObservationKind.Challenged, conflict);
            }

            State = MdnsProbeState.Idle;
            return new MdnsObservation(MdnsObservationKind.Conflict, conflict);
        }

        if (State == MdnsProbeState.Probing && MdnsConflictRules.FindLostTieBreak(message, Records) is { } lost)
        {
            sent = 0;
            due = now + TieBreakDelay;
            return new MdnsObservation(MdnsObservationKind.LostTieBreak, lost);
        }

        return MdnsObservation.None;
    }

    private static TimeSpan Clamp(TimeSpan delay) =>
        delay < TimeSpan.Zero ? TimeSpan.Zero : delay > MaxInitialDelay ? MaxInitialDelay : delay;
}
