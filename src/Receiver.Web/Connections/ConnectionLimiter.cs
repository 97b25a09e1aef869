using System.Net;

namespace Receiver.Web.Connections;

/// <summary>
/// How many connections a port holds, in total and per source address. <see cref="TryAcquire"/> takes a place or
/// refuses; a refusal is counted, and logged at most once per address per <c>RefusalLogIntervalSeconds</c>, so a
/// flood cannot flood the log either. Time comes from the injected <see cref="TimeProvider"/>.
/// </summary>
public sealed partial class ConnectionLimiter
{
    private readonly Lock _gate = new();
    private readonly Dictionary<IPAddress, int> _perAddress = [];
    private readonly Dictionary<IPAddress, long> _lastLogged = [];
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly TimeSpan _logInterval;
    private int _total;
    private long _refused;

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

    /// <summary>Takes a place for a connection from <paramref name="address"/>; null (counted, maybe logged) when the port is full for it.</summary>
    public Lease? TryAcquire(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        int held;
        lock (_gate)
        {
            held = _perAddress.GetValueOrDefault(address);
            if (_total < MaxTotal && held < MaxPerAddress)
            {
                _total++;
                _perAddress[address] = held + 1;
                return new Lease(this, address);
            }
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

    private void Release(IPAddress address)
    {
        lock (_gate)
        {
            _total--;
            var held = _perAddress[address] - 1;
            if (held == 0)
            {
                _perAddress.Remove(address);
            }
            else
            {
                _perAddress[address] = held;
            }
        }
    }

    [LoggerMessage(EventId = 1000, Level = LogLevel.Warning, Message = "{Port} port: connection from {Address} refused: {Max} connections from that address are open (further refusals from it are counted, not logged, for a while)")]
    private static partial void LogAddressFull(ILogger logger, string port, IPAddress address, int max);

    [LoggerMessage(EventId = 1001, Level = LogLevel.Warning, Message = "{Port} port: connection from {Address} refused: {Max} connections are open (further refusals from it are counted, not logged, for a while)")]
    private static partial void LogPortFull(ILogger logger, string port, IPAddress address, int max);

    /// <summary>A connection's place; disposing it frees the place once.</summary>
    public sealed class Lease(ConnectionLimiter limiter, IPAddress address) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                limiter.Release(address);
            }
        }
    }
}
