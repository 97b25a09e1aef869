using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Security.Cryptography;

using Receiver.Core.Casting;
using Receiver.Core.Media;

namespace Receiver.Core.Sessions;

/// <summary>
/// The live sessions of the receiver, and the mirror data connections each is waiting for.
/// Several senders may mirror at once; each has its own session.
/// </summary>
public sealed class SessionRegistry
{
    private readonly ConcurrentDictionary<string, MirroringSession> _sessions = new(StringComparer.Ordinal);
    private readonly Lock _pendingGate = new();
    private readonly Lock _startGate = new();
    private readonly List<PendingMirrorStream> _pending = [];
    private readonly Queue<EndedSession> _ended = new();

    /// <summary>How long after its session ended a set-up stream can still be claimed by its data connection.</summary>
    public static readonly TimeSpan LateClaimWindow = TimeSpan.FromSeconds(2);
    private readonly SessionEventHub _events;
    private readonly TimeProvider _time;

    public SessionRegistry(SessionEventHub events, TimeProvider time, MediaChannelOptions? mediaOptions = null)
    {
        _events = events;
        _time = time;
        MediaOptions = mediaOptions ?? new MediaChannelOptions();
    }

    /// <summary>The back-pressure limits every session's <see cref="MediaChannel"/> is made with.</summary>
    public MediaChannelOptions MediaOptions { get; }

    public SessionEventHub Events => _events;

    public TimeProvider Time => _time;

    public int Count => _sessions.Count;

    /// <summary>Most sessions that may live at once (<c>Receiver:Sessions:Max</c>); a session SETUP beyond it is refused as busy.</summary>
    public int MaxSessions { get; init; } = int.MaxValue;

    /// <summary>Session SETUPs refused because <see cref="MaxSessions"/> sessions were live.</summary>
    public long SessionsRefused => Interlocked.Read(ref _sessionsRefused);

    private long _sessionsRefused;

    /// <summary>True while as many sessions live as <see cref="MaxSessions"/> allows.</summary>
    public bool IsFull => _sessions.Count >= MaxSessions;

    /// <summary>How many ended sessions <see cref="RecentlyEnded"/> keeps.</summary>
    public const int RecentlyEndedCapacity = 32;

    /// <summary>The sessions that ended last, newest first (at most <see cref="RecentlyEndedCapacity"/>), with why.</summary>
    public IReadOnlyList<EndedSession> RecentlyEnded
    {
        get
        {
            lock (_ended)
            {
                return _ended.Reverse().ToArray();
            }
        }
    }

    public IReadOnlyCollection<MirroringSession> Sessions => _sessions.Values.OrderBy(s => s.StartedAt).ToArray();

    public bool TryGet(string id, out MirroringSession session) => _sessions.TryGetValue(id, out session!);

    /// <summary>
    /// Raised on the starting thread for each new session, before its first stream can publish anything: a
    /// handler that subscribes to <see cref="MirroringSession.Media"/> here misses nothing. Handlers must be quick
    /// and must not throw.
    /// </summary>
    public event Action<MirroringSession>? SessionCreated;

    /// <summary>Starts a session; throws <see cref="InvalidOperationException"/> when <see cref="MaxSessions"/> are live.</summary>
    public MirroringSession Start(SenderInfo sender, string protocol, IPAddress remoteAddress) =>
        TryStart(sender, protocol, remoteAddress, out var session)
            ? session
            : throw new InvalidOperationException($"the receiver already has {MaxSessions} sessions");

    /// <summary>Starts a session unless <see cref="MaxSessions"/> are live (then false, counted in <see cref="SessionsRefused"/>).</summary>
    public bool TryStart(SenderInfo sender, string protocol, IPAddress remoteAddress, [NotNullWhen(true)] out MirroringSession? session)
    {
        ArgumentNullException.ThrowIfNull(sender);
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
        lock (_startGate)
        {
            if (_sessions.Count >= MaxSessions)
            {
                CountRefusal();
                session = null;
                return false;
            }

            session = new MirroringSession(id, sender, protocol, remoteAddress, _time.GetUtcNow(), this);
            _sessions[id] = session;
        }

        Publish(new SessionStartedEvent(id, session.StartedAt, sender, protocol));
        SessionCreated?.Invoke(session);
        return true;
    }

    /// <summary>
    /// Starts a cast session for <paramref name="cast"/> unless <see cref="MaxSessions"/> are live. Its state changes
    /// are published as <see cref="CastStateChangedEvent"/>s.
    /// </summary>
    public bool TryStartCast(SenderInfo sender, IPAddress remoteAddress, Func<string, CastSession> create, [NotNullWhen(true)] out MirroringSession? session)
    {
        ArgumentNullException.ThrowIfNull(sender);
        ArgumentNullException.ThrowIfNull(create);
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
        var cast = create(id);
        lock (_startGate)
        {
            if (_sessions.Count >= MaxSessions)
            {
                CountRefusal();
                session = null;
                return false;
            }

            session = new MirroringSession(id, sender, "airplay", remoteAddress, _time.GetUtcNow(), this) { Cast = cast };
            _sessions[id] = session;
        }

        var started = session;
        cast.Changed += (snapshot, stateChanged) =>
        {
            if (stateChanged && !started.HasEnded)
            {
                Publish(new CastStateChangedEvent(id, snapshot.At, snapshot.StateText, snapshot.Position, snapshot.Rate, snapshot.Duration));
            }
        };
        Publish(new SessionStartedEvent(id, session.StartedAt, sender, session.Protocol));
        Publish(new CastStartedEvent(id, session.StartedAt, cast.Url.Host, cast.Title, cast.Kind == CastMediaKind.Hls ? "hls" : "file"));
        SessionCreated?.Invoke(session);
        return true;
    }

    /// <summary>The senders' open reverse (PTTH) channels.</summary>
    public CastReverseChannels ReverseChannels { get; } = new();

    /// <summary>Fetches playlists of http(s) HLS casts (the web host's bounded fetcher); null: such casts play as files.</summary>
    public IPlaylistSource? PlaylistFetcher { get; set; }

    /// <summary>Whether a viewer page is open, for a cast whose sender wants a refusal otherwise (null: none is known to be).</summary>
    public IViewerPresence? ViewerPresence { get; set; }

    /// <summary>The live cast whose sender named it <paramref name="appleSessionId"/> (<c>X-Apple-Session-ID</c>).</summary>
    public MirroringSession? FindCast(string appleSessionId) =>
        _sessions.Values.FirstOrDefault(s => s.Cast is { } cast && !s.HasEnded && string.Equals(cast.AppleSessionId, appleSessionId, StringComparison.Ordinal));

    /// <summary>Counts a session SETUP refused because the receiver was full before it got this far.</summary>
    public void CountRefusal() => Interlocked.Increment(ref _sessionsRefused);

    public void Publish(SessionEvent sessionEvent) => _events.Publish(sessionEvent);

    /// <summary>Ends <paramref name="session"/> once; later calls are ignored.</summary>
    /// <returns>True if this call ended it.</returns>
    public bool End(MirroringSession session, SessionEndReason reason)
    {
        if (!session.TryMarkEnded(reason))
        {
            return false;
        }

        _sessions.TryRemove(session.Id, out _);
        session.EndedAt = _time.GetUtcNow();
        lock (_ended)
        {
            if (_ended.Count == RecentlyEndedCapacity)
            {
                _ended.Dequeue();
            }

            _ended.Enqueue(new EndedSession(session.Id, session.Sender, session.Protocol, session.StartedAt, session.EndedAt.Value, reason));
        }

        Publish(new SessionEndedEvent(session.Id, _time.GetUtcNow(), reason));
        return true;
    }

    /// <summary>Ends every live session (receiver shutdown).</summary>
    public void EndAll(SessionEndReason reason)
    {
        foreach (var session in _sessions.Values)
        {
            End(session, reason);
        }
    }

    /// <summary>Records that <paramref name="stream"/>'s sender will open a mirror data connection from its address.</summary>
    public void ExpectMirrorConnection(PendingMirrorStream stream)
    {
        lock (_pendingGate)
        {
            _pending.RemoveAll(p => ReferenceEquals(p.Session, stream.Session) || !IsClaimable(p));
            _pending.Add(stream);
        }
    }

    /// <summary>The streams set up from <paramref name="remoteAddress"/> whose data connections have not arrived, oldest first.</summary>
    public IReadOnlyList<PendingMirrorStream> PendingFrom(IPAddress remoteAddress)
    {
        var address = Normalize(remoteAddress);
        lock (_pendingGate)
        {
            _pending.RemoveAll(p => !IsClaimable(p));
            return _pending.Where(p => Normalize(p.Session.RemoteAddress).Equals(address)).ToArray();
        }
    }

    /// <summary>Takes <paramref name="stream"/> for a data connection; false if another connection took it first.</summary>
    public bool TryClaim(PendingMirrorStream stream)
    {
        lock (_pendingGate)
        {
            return _pending.Remove(stream) && IsClaimable(stream);
        }
    }

    /// <summary>True when a session set up a video stream from <paramref name="remoteAddress"/> whose data connection has not arrived.</summary>
    public bool IsExpectingMirrorConnection(IPAddress remoteAddress)
    {
        var address = Normalize(remoteAddress);
        lock (_pendingGate)
        {
            return _pending.Any(p => Normalize(p.Session.RemoteAddress).Equals(address) && !p.Session.HasEnded);
        }
    }

    /// <summary>
    /// A stream can be claimed while its session lives, and for <see cref="LateClaimWindow"/> after it ended, so a
    /// data connection that was still being recognised when the sender tore down can drain what was sent.
    /// </summary>
    private bool IsClaimable(PendingMirrorStream stream) =>
        stream.Session.EndedAt is not { } endedAt || _time.GetUtcNow() - endedAt < LateClaimWindow;

    private static IPAddress Normalize(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
}
