using System.Net;

namespace Receiver.Core.Access;

/// <summary>
/// Locks out an address that keeps failing: <see cref="MaxFailures"/> failed proofs (wrong PIN, wrong password,
/// denied) within <see cref="Window"/> refuse it for <see cref="Duration"/>. A success forgets its failures.
/// </summary>
/// <remarks>
/// Hand-written rather than a <c>System.Threading.RateLimiting</c> limiter: those count attempts and hand out
/// permits, while this counts only failures reported after the fact, must forget them on a success and keeps a
/// lockout running for a fixed time after the last straw; and <c>Receiver.Core</c> takes no ASP.NET package.
/// Memory is bounded: at most <see cref="Capacity"/> addresses are tracked; when full, expired entries go first,
/// then the least recently active one.
/// </remarks>
public sealed class AccessLockout(TimeProvider time)
{
    public const int MaxFailures = 5;

    public const int Capacity = 4096;

    public static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    public static readonly TimeSpan Duration = TimeSpan.FromMinutes(1);

    private readonly Lock _gate = new();
    private readonly Dictionary<IPAddress, Entry> _entries = [];

    /// <summary>Addresses tracked now (failures or a lockout), for tests and metrics.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _entries.Count;
            }
        }
    }

    /// <summary>Whether <paramref name="address"/> is refused now.</summary>
    public bool IsLockedOut(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        var now = time.GetUtcNow();
        lock (_gate)
        {
            return _entries.TryGetValue(Key(address), out var entry) && entry.LockedUntil > now;
        }
    }

    /// <summary>Counts a failed proof; the <see cref="MaxFailures"/>th within <see cref="Window"/> locks the address out.</summary>
    public void RecordFailure(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        var now = time.GetUtcNow();
        var key = Key(address);
        lock (_gate)
        {
            if (!_entries.TryGetValue(key, out var entry))
            {
                MakeRoom(now);
                entry = new Entry();
                _entries[key] = entry;
            }

            entry.LastActivity = now;
            if (entry.LockedUntil > now)
            {
                return;
            }

            entry.Failures.Enqueue(now);
            while (entry.Failures.Count > 0 && now - entry.Failures.Peek() >= Window)
            {
                entry.Failures.Dequeue();
            }

            if (entry.Failures.Count >= MaxFailures)
            {
                entry.Failures.Clear();
                entry.LockedUntil = now + Duration;
            }
        }
    }

    /// <summary>Forgets the failures of <paramref name="address"/> (a running lockout stays).</summary>
    public void RecordSuccess(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        var now = time.GetUtcNow();
        lock (_gate)
        {
            var key = Key(address);
            if (_entries.TryGetValue(key, out var entry) && entry.LockedUntil <= now)
            {
                _entries.Remove(key);
            }
        }
    }

    private static IPAddress Key(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;

    private void MakeRoom(DateTimeOffset now)
    {
        if (_entries.Count < Capacity)
        {
            return;
        }

        foreach (var (address, entry) in _entries)
        {
            if (entry.LockedUntil <= now && (entry.Failures.Count == 0 || now - entry.LastActivity >= Window))
            {
                _entries.Remove(address);
            }
        }

        if (_entries.Count >= Capacity)
        {
            var oldest = _entries.MinBy(e => e.Value.LastActivity).Key;
            _entries.Remove(oldest);
        }
    }

    private sealed class Entry
    {
        public Queue<DateTimeOffset> Failures { get; } = new(MaxFailures);

        public DateTimeOffset LockedUntil { get; set; }

        public DateTimeOffset LastActivity { get; set; }
    }
}
