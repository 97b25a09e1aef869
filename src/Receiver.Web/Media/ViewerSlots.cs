namespace Receiver.Web.Media;

/// <summary>
/// How many media WebSockets the receiver holds: at most <see cref="MediaWebSocketOptions.MaxViewersPerSession"/> for
/// one session and <see cref="MediaWebSocketOptions.MaxViewers"/> in all. A viewer beyond either is refused
/// (<see cref="MediaCloseStatus.Full"/>) and counted; the viewers already watching are not touched.
/// </summary>
public sealed class ViewerSlots(MediaWebSocketOptions options)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, int> _perSession = new(StringComparer.Ordinal);
    private int _total;
    private long _refused;

    /// <summary>Viewers refused since the start.</summary>
    public long Refused => Interlocked.Read(ref _refused);

    /// <summary>Viewers holding a place now.</summary>
    public int Held
    {
        get
        {
            lock (_gate)
            {
                return _total;
            }
        }
    }

    /// <summary>A place for one more viewer of <paramref name="sessionId"/>, or null and why not.</summary>
    public Slot? TryTake(string sessionId, out string? refusal)
    {
        ArgumentNullException.ThrowIfNull(sessionId);
        lock (_gate)
        {
            var held = _perSession.GetValueOrDefault(sessionId);
            refusal = held >= options.MaxViewersPerSession ? $"full: this session has {options.MaxViewersPerSession} viewers, the most it takes"
                : _total >= options.MaxViewers ? $"full: the receiver has {options.MaxViewers} viewers, the most it takes"
                : null;
            if (refusal is null)
            {
                _perSession[sessionId] = held + 1;
                _total++;
                return new Slot(this, sessionId);
            }
        }

        Interlocked.Increment(ref _refused);
        return null;
    }

    private void Give(string sessionId)
    {
        lock (_gate)
        {
            _total--;
            var held = _perSession[sessionId] - 1;
            if (held == 0)
            {
                _perSession.Remove(sessionId);
            }
            else
            {
                _perSession[sessionId] = held;
            }
        }
    }

    /// <summary>One viewer's place; disposing it frees the place once.</summary>
    public sealed class Slot(ViewerSlots slots, string sessionId) : IDisposable
    {
        private int _given;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _given, 1) == 0)
            {
                slots.Give(sessionId);
            }
        }
    }
}
