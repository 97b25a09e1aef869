using System.Net;

namespace Receiver.Web.Connections;

/// <summary>
/// How many connections a port holds, in total and per source address. <see cref="TryAcquire"/> takes a place or
/// refuses; a refusal is counted, and logged at most once per address per <c>RefusalLogIntervalSeconds</c>, so a
/// flood cannot flood the log either. Time comes from the injected <see cref="TimeProvider"/>.
/// <para>
/// When the port is full, a newcomer from an address that holds fewer connections than the busiest address less one
/// takes the place of that address's oldest connection that carries no session (<see cref="Lease.Protect"/>): a few
/// addresses that keep re-opening half-sent requests cannot lock every other sender out, and a connection that
/// carries a session is never closed to make room.
/// </para>
/// </summary>
public sealed partial class ConnectionLimiter
{
    private readonly Lock _gate = new();
    private readonly Dictionary<IPAddress, List<Lease>> _perAddress = [];
    private readonly Dictionary<IPAddress, long> _lastLogged = [];
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly TimeSpan _logInterval;
    private int _total;
    private long _refused;
    private long _evicted;

    /// <summary>The control port's name: its limiter is the unkeyed <see cref="ConnectionLimiter"/> service.</summary>
    public const string ControlPort = "control";

    /// <summary>The mirror port's name and the service key of its limiter.</summary>
    public const string MirrorPort = "mirror";

    public ConnectionLimiter(string port, int maxTotal, int maxPerAddress, TimeSpan logInterval, TimeProvider time, ILogger logger)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxTotal, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPerAddress, 1);
        Port = port;
        MaxTotal = maxTotal;
        MaxPerAddress = maxPerAddress;
        _logInterval = logInterval;
        _time = time;
        _logger = logger;
    }

    /// <summary>The port's name in logs and in the refusal metric's <c>port</c> tag (<c>control</c>, <c>mirror</c>).</summary>
    public string Port { get; }

    public int MaxTotal { get; }

    public int MaxPerAddress { get; }

    /// <summary>Connections held now.</summary>
    public int Open
    {
        get
        {
            lock (_gate)
            {
                return _total;
            }
        }
    }

    /// <summary>Connections refused since the start.</summary>
    public long Refused => Interlocked.Read(ref _refused);

    /// <summary>Connections closed since the start to make room for a newcomer from a less busy address.</summary>
    public long Evicted => Interlocked.Read(ref _evicted);

    /// <summary>
    /// Takes a place for a connection from <paramref name="address"/>; null (counted, maybe logged) when the port is full
    /// for it. <paramref name="close"/> closes the connection if a newcomer later takes its place.
    /// </summary>
    public Lease? TryAcquire(IPAddress address, Action? close = null)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        int held;
        Lease? evicted = null;
        Lease? lease = null;
        lock (_gate)
        {
            held = _perAddress.TryGetValue(address, out var own) ? own.Count : 0;
            if (held < MaxPerAddress && (_total < MaxTotal || (evicted = EvictFor(held)) is not null))
            {
                lease = new Lease(this, address, close, _time.GetTimestamp());
                _total++;
                if (own is null)
                {
                    _perAddress[address] = own = [];
                }

                own.Add(lease);
            }
        }

        if (evicted is not null)
        {
            Interlocked.Increment(ref _evicted);
            if (ShouldLog(evicted.Address))
            {
                LogEvicted(_logger, Port, evicted.Address, MaxTotal, address);
            }

            evicted.Close();
        }

        if (lease is not null)
        {
            return lease;
        }

        Interlocked.Increment(ref _refused);
        if (ShouldLog(address))
        {
            if (held >= MaxPerAddress)
            {
                LogAddressFull(_logger, Port, address, MaxPerAddress);
            }
            else
            {
                LogPortFull(_logger, Port, address, MaxTotal);
            }
        }

        return null;
    }

    private bool ShouldLog(IPAddress address)
    {
        var now = _time.GetTimestamp();
        lock (_gate)
        {
            if (_lastLogged.TryGetValue(address, out var last) && _time.GetElapsedTime(last, now) < _logInterval)
            {
                return false;
            }

            // Forget addresses not refused for a while, so the table stays small.
            if (_lastLogged.Count >= 1024)
            {
                foreach (var stale in _lastLogged.Where(e => _time.GetElapsedTime(e.Value, now) >= _logInterval).Select(e => e.Key).ToList())
                {
                    _lastLogged.Remove(stale);
                }
            }

            _lastLogged[address] = now;
            return true;
        }
    }

    /// <summary>
    /// Under the gate, with the port full: the oldest connection without a session of the busiest address, taken off
    /// the counts, if that address holds more than a newcomer holding <paramref name="held"/> would after it; else null.
    /// </summary>
    private Lease? EvictFor(int held)
    {
        // The busiest address must hold two more than the newcomer: after the swap it still holds at least as many,
        // so two addresses never take places from each other in turn.
        var need = held + 2;
        Lease? victim = null;
        var victimCount = 0;
        foreach (var leases in _perAddress.Values)
        {
            if (leases.Count < need || leases.Count < victimCount)
            {
                continue;
            }

            var oldest = leases.FirstOrDefault(l => !l.IsProtected);
            if (oldest is not null && (victim is null || leases.Count > victimCount || oldest.Opened < victim.Opened))
            {
                victim = oldest;
                victimCount = leases.Count;
            }
        }

        if (victim is not null)
        {
            Remove(victim);
        }

        return victim;
    }

    private void Release(Lease lease)
    {
        lock (_gate)
        {
            Remove(lease);
        }
    }

    /// <summary>Under the gate: frees the lease's place once (a closed-to-make-room lease is freed when it is chosen).</summary>
    private void Remove(Lease lease)
    {
        if (!lease.TryFree())
        {
            return;
        }

        _total--;
        var leases = _perAddress[lease.Address];
        leases.Remove(lease);
        if (leases.Count == 0)
        {
            _perAddress.Remove(lease.Address);
        }
    }

    [LoggerMessage(EventId = 1000, Level = LogLevel.Warning, Message = "{Port} port: connection from {Address} refused: {Max} connections from that address are open (further refusals from it are counted, not logged, for a while)")]
    private static partial void LogAddressFull(ILogger logger, string port, IPAddress address, int max);

    [LoggerMessage(EventId = 1001, Level = LogLevel.Warning, Message = "{Port} port: connection from {Address} refused: {Max} connections are open (further refusals from it are counted, not logged, for a while)")]
    private static partial void LogPortFull(ILogger logger, string port, IPAddress address, int max);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Warning, Message = "{Port} port: the oldest connection from {Address}, the busiest address, closed to admit {Newcomer}: {Max} connections were open (further ones from it are counted, not logged, for a while)")]
    private static partial void LogEvicted(ILogger logger, string port, IPAddress address, int max, IPAddress newcomer);

    /// <summary>
    /// A connection's place; disposing it frees the place once. A connection whose lease is
    /// <see cref="Protect">protected</see> carries a session and is never closed to make room.
    /// </summary>
    public sealed class Lease : IDisposable
    {
        private readonly ConnectionLimiter _limiter;
        private readonly Action? _close;
        private int _freed;
        private volatile bool _protected;

        internal Lease(ConnectionLimiter limiter, IPAddress address, Action? close, long opened)
        {
            _limiter = limiter;
            _close = close;
            Address = address;
            Opened = opened;
        }

        public IPAddress Address { get; }

        /// <summary>When the connection was admitted (a <see cref="TimeProvider"/> timestamp).</summary>
        internal long Opened { get; }

        public bool IsProtected => _protected;

        /// <summary>The connection now carries a session: it keeps its place until it ends.</summary>
        public void Protect() => _protected = true;

        internal bool TryFree() => Interlocked.Exchange(ref _freed, 1) == 0;

        internal void Close() => _close?.Invoke();

        public void Dispose() => _limiter.Release(this);
    }
}
