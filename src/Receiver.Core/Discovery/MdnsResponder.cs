using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace Receiver.Core.Discovery;

/// <summary>
/// A minimal multicast DNS responder (RFC 6762) for one <see cref="AirPlayServiceZone"/>: joins 224.0.0.251:5353
/// and, where IPv6 is available, [ff02::fb]:5353 on the given interfaces only, probes for its unique names
/// (renaming on conflict, section 8), announces them, answers queries that arrive on those interfaces, defends its
/// names (section 9) and sends goodbyes (TTL 0) at stop. Probes, announcements and goodbyes go out over both IPv4
/// and IPv6 and carry both the A and the AAAA records; an answer goes back over the family its query came in on.
/// Packets arriving on other interfaces are ignored and nothing is sent on them.
/// </summary>
public sealed partial class MdnsResponder : IAsyncDisposable
{
    public const int Port = MdnsSocket.Port;

    /// <summary>TTL cap for replies to legacy unicast queries (RFC 6762 section 6.7).</summary>
    public const uint LegacyUnicastTtl = 10;

    public static readonly IPAddress Group = MdnsSocket.Group;

    public static readonly IPAddress Ipv6Group = MdnsSocket.Ipv6Group;

    private const int MaxDatagram = 9000;

    private readonly Dictionary<int, MdnsInterface> interfaces;
    private readonly IReadOnlyList<IPAddress> allAddresses;
    private readonly ILogger logger;
    private readonly TimeProvider time;
    private readonly SemaphoreSlim wake = new(0, 1);
    private readonly CancellationTokenSource stopping = new();
    private readonly Lock sync = new();
    private readonly MdnsProbeStateMachine machine = new(() => TimeSpan.FromMilliseconds(Random.Shared.Next(0, 251)));
    private AirPlayServiceZone zone;
    private AirPlayServiceZone? announced;
    private MdnsSocket? socket;
    private MdnsSocket? socket6;
    private Task receiveLoop = Task.CompletedTask;
    private Task receiveLoop6 = Task.CompletedTask;
    private Task probeLoop = Task.CompletedTask;

    public MdnsResponder(AirPlayServiceZone zone, IReadOnlyList<MdnsInterface> interfaces, ILogger logger, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(zone);
        ArgumentNullException.ThrowIfNull(interfaces);
        ArgumentNullException.ThrowIfNull(logger);
        this.zone = zone;
        this.interfaces = interfaces.ToDictionary(i => i.Index);
        // A link-local IPv6 address may repeat on several interfaces (with other scope ids): one record each.
        allAddresses = interfaces.SelectMany(i => i.Addresses).DistinctBy(a => Convert.ToHexString(a.GetAddressBytes())).ToList();
        this.logger = logger;
        this.time = time ?? TimeProvider.System;
    }

    /// <summary>
    /// Raised (on a responder thread) each time a set of names has been won by probing and first announced; after
    /// a conflict, again with the renamed zone.
    /// </summary>
    public event EventHandler<MdnsAnnouncedEventArgs>? Announced;

    /// <summary>The zone being probed for or, once <see cref="IsAnnounced"/>, advertised; it changes after a conflict.</summary>
    public AirPlayServiceZone Zone
    {
        get
        {
            lock (sync)
            {
                return zone;
            }
        }
    }

    /// <summary>True while the current names are won and announced (false while probing).</summary>
    public bool IsAnnounced
    {
        get
        {
            lock (sync)
            {
                return machine.State is MdnsProbeState.Announcing or MdnsProbeState.Announced;
            }
        }
    }

    /// <summary>True when the IPv6 socket is open (ff02::fb joined on at least one interface).</summary>
    public bool UsesIpv6 => socket6 is not null;

    /// <summary>
    /// Opens the sockets, joins the groups on each interface and starts probing; announcing and answering follow
    /// once the names are won (see <see cref="Announced"/>).
    /// </summary>
    public Task StartAsync(CancellationToken ct)
    {
        ObjectDisposedException.ThrowIf(stopping.IsCancellationRequested, this);
        ct.ThrowIfCancellationRequested();
        if (socket is not null)
        {
            throw new InvalidOperationException("The responder is already started.");
        }

        var s = MdnsSocket.Open(interfaces.Values, logger);
        socket = s;
        socket6 = MdnsSocket.TryOpenIpv6(interfaces.Values, logger);
        lock (sync)
        {
            machine.Begin(zone.UniqueRecords(allAddresses), time.GetUtcNow());
        }

        LogProbing(logger, zone.AirPlayInstance.ToString(), zone.RaopInstance.ToString());
        receiveLoop = Task.Run(() => ReceiveLoopAsync(s, stopping.Token), CancellationToken.None);
        if (socket6 is { } s6)
        {
            receiveLoop6 = Task.Run(() => ReceiveLoopAsync(s6, stopping.Token), CancellationToken.None);
        }

        probeLoop = Task.Run(() => ProbeLoopAsync(stopping.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    /// <summary>Stops answering and sends goodbye packets for every record.</summary>
    public Task StopAsync(CancellationToken ct) => StopAsync(sendGoodbyes: true, ct);

    /// <summary>
    /// Stops answering; with <paramref name="sendGoodbyes"/> false the records stay in caches, for a responder that
    /// takes over the same names at once (after a network change): its announcements carry the cache-flush bit and
    /// replace what changed.
    /// </summary>
    public async Task StopAsync(bool sendGoodbyes, CancellationToken ct)
    {
        if (socket is null || stopping.IsCancellationRequested)
        {
            return;
        }

        await stopping.CancelAsync().ConfigureAwait(false);
        await probeLoop.ConfigureAwait(false);
        AirPlayServiceZone? owned;
        lock (sync)
        {
            owned = announced;
        }

        // Only names that were won and announced get goodbyes: the shared PTR of a name another host holds must
        // not be withdrawn from caches.
        if (owned is not null && sendGoodbyes)
        {
            await AnnounceAsync(owned, ttlOverride: 0, ct).ConfigureAwait(false);
        }

        socket.Dispose();
        socket6?.Dispose();
        await receiveLoop.ConfigureAwait(false);
        await receiveLoop6.ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None).ConfigureAwait(false);
        socket?.Dispose();
        socket6?.Dispose();
        stopping.Dispose();
        wake.Dispose();
    }

    private async Task ProbeLoopAsync(CancellationToken ct)
    {
        try
        {
            while (!ct.IsCancellationRequested)
            {
                MdnsProbeAction action;
                AirPlayServiceZone current;
                var now = time.GetUtcNow();
                lock (sync)
                {
                    action = machine.Next(now);
                    current = zone;
                    if (action.Kind == MdnsProbeActionKind.Announce)
                    {
                        announced = current;
                    }
                }

                switch (action.Kind)
                {
                    case MdnsProbeActionKind.Probe:
                        await ProbeAsync(current, action.UnicastQuestion, ct).ConfigureAwait(false);
                        break;
                    case MdnsProbeActionKind.Announce:
                        await AnnounceAsync(current, ttlOverride: null, ct).ConfigureAwait(false);
                        if (action.FirstAnnouncement)
                        {
                            LogWon(logger, current.AirPlayInstance.ToString(), current.RaopInstance.ToString());
                            Announced?.Invoke(this, new MdnsAnnouncedEventArgs(current));
                        }

                        break;
                    case MdnsProbeActionKind.Wait:
                        var delay = action.Due - now;
                        await wake.WaitAsync(delay > TimeSpan.Zero ? delay : TimeSpan.Zero, ct).ConfigureAwait(false);
                        break;
                    default:
                        await wake.WaitAsync(Timeout.Infinite, ct).ConfigureAwait(false);
                        break;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping; goodbyes follow for announced names.
        }
    }

    private void Wake()
    {
        try
        {
            if (wake.CurrentCount == 0)
            {
                wake.Release();
            }
        }
        catch (SemaphoreFullException)
        {
            // Already signalled.
        }
    }

    private MdnsSocket Socket => socket ?? throw new InvalidOperationException("The responder is not started.");

    private async Task ProbeAsync(AirPlayServiceZone current, bool unicastQuestion, CancellationToken ct)
    {
        foreach (var nic in interfaces.Values)
        {
            var packet = DnsProbeWriter.Write(current.ProbeQuestions(nic.Addresses, unicastQuestion), current.UniqueRecords(nic.Addresses));
            await SendEverywhereAsync(nic, packet, ct).ConfigureAwait(false);
            LogProbeSent(logger, nic.Name, current.AirPlayInstance.ToString());
        }
    }

    private async Task AnnounceAsync(AirPlayServiceZone current, uint? ttlOverride, CancellationToken ct)
    {
        foreach (var nic in interfaces.Values)
        {
            var records = current.AllRecords(nic.Addresses);
            if (ttlOverride is { } ttl)
            {
                records = records.Select(r => r.WithTtl(ttl)).ToList();
            }

            var packet = DnsResponseWriter.Write(records, []);
            await SendEverywhereAsync(nic, packet, ct).ConfigureAwait(false);
            LogAnnounced(logger, nic.Name, records.Count, ttlOverride == 0);
        }
    }

    // Multicasts on nic over IPv4 and, when ff02::fb is joined there, over IPv6; a failure on one family does not
    // keep the packet from the other.
    private async Task SendEverywhereAsync(MdnsInterface nic, byte[] packet, CancellationToken ct)
    {
        foreach (var via in (MdnsSocket?[])[Socket, socket6])
        {
            if (via is null || !via.JoinedInterfaces.Contains(nic.Index))
            {
                continue;
            }

            try
            {
                await via.SendMulticastAsync(nic, packet, ct).ConfigureAwait(false);
            }
            catch (SocketException e)
            {
                LogSendFailed(logger, nic.Name, e.SocketErrorCode, e);
            }
        }
    }

    private async Task ReceiveLoopAsync(MdnsSocket s, CancellationToken ct)
    {
        var buffer = new byte[MaxDatagram];
        while (!ct.IsCancellationRequested)
        {
            SocketReceiveMessageFromResult received;
            try
            {
                received = await s.ReceiveAsync(buffer, ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            catch (SocketException e) when (ct.IsCancellationRequested || e.SocketErrorCode == SocketError.OperationAborted)
            {
                return;
            }

            if (!s.JoinedInterfaces.Contains(received.PacketInformation.Interface)
                || !interfaces.TryGetValue(received.PacketInformation.Interface, out var nic))
            {
                continue;
            }

            try
            {
                await HandleAsync(buffer.AsMemory(0, received.ReceivedBytes), (IPEndPoint)received.RemoteEndPoint, nic, s, ct).ConfigureAwait(false);
            }
            catch (DnsFormatException e)
            {
                LogMalformed(logger, nic.Name, e.Message);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            catch (SocketException e)
            {
                LogSendFailed(logger, nic.Name, e.SocketErrorCode, e);
            }
        }
    }

    // Answers go back through via, the socket (address family) the query arrived on.
    private async Task HandleAsync(ReadOnlyMemory<byte> datagram, IPEndPoint source, MdnsInterface nic, MdnsSocket via, CancellationToken ct)
    {
        var query = DnsQueryParser.Parse(datagram.Span);

        // RFC 6762 section 11: responses not sent from port 5353 are ignored (and cannot claim our names).
        if (query.Opcode != 0 || (query.IsResponse && source.Port != Port))
        {
            return;
        }

        AirPlayServiceZone current;
        bool owned;
        lock (sync)
        {
            Observe(query, nic);
            current = zone;
            owned = machine.State is MdnsProbeState.Announcing or MdnsProbeState.Announced;
        }

        // Names being probed for are not ours yet: nothing is answered until they are won.
        if (query.IsResponse || query.Questions.Count == 0 || !owned)
        {
            return;
        }

        var answer = current.Answer(query.Questions, nic.Addresses).WithoutKnownAnswers(query.Answers);
        if (answer.IsEmpty)
        {
            return;
        }

        LogAnswering(logger, nic.Name, answer.Answers.Count, answer.Additionals.Count);
        if (source.Port != Port)
        {
            // Legacy unicast query (RFC 6762 section 6.7): reply directly, echoing id and questions.
            var capped = answer.Answers.Select(r => r.WithTtl(Math.Min(r.Ttl, LegacyUnicastTtl))).ToList();
            var cappedExtra = answer.Additionals.Select(r => r.WithTtl(Math.Min(r.Ttl, LegacyUnicastTtl))).ToList();
            var reply = DnsResponseWriter.Write(capped, cappedExtra, legacyUnicast: true, query.Id, query.Questions);
            await via.SendUnicastAsync(reply, source, ct).ConfigureAwait(false);
            return;
        }

        // RFC 6762 section 5.4: a query whose questions all ask for unicast responses (QU) is answered directly to
        // its sender (IPv6 link-local sources keep their scope id). Probes are still answered by multicast so that
        // every prober and cache sees the defence.
        if (query.Authorities.Count == 0 && query.Questions.All(q => q.UnicastResponse))
        {
            await via.SendUnicastAsync(DnsResponseWriter.Write(answer.Answers, answer.Additionals), source, ct).ConfigureAwait(false);
            return;
        }

        // RFC 6762 section 6: answers holding shared (PTR) records are delayed 20-120 ms so that several responders
        // do not collide; answers of unique records only (such as replies to probes) go out at once.
        if (answer.Answers.Any(r => !r.CacheFlush))
        {
            await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(20, 121)), time, ct).ConfigureAwait(false);
        }

        await via.SendMulticastAsync(nic, DnsResponseWriter.Write(answer.Answers, answer.Additionals), ct).ConfigureAwait(false);
    }

    // Called under the lock.
    private void Observe(DnsQuery message, MdnsInterface nic)
    {
        var now = time.GetUtcNow();
        var observation = machine.Observe(message, now);
        switch (observation.Kind)
        {
            case MdnsObservationKind.Conflict:
                var renamed = zone.Renamed(observation.Name!);
                LogConflict(logger, observation.Name!.ToString(), nic.Name, renamed.AirPlayInstance.ToString(), renamed.HostName.ToString());
                zone = renamed;
                announced = null;
                machine.Begin(renamed.UniqueRecords(allAddresses), now);
                if (machine.RateLimited)
                {
                    LogRateLimited(logger, machine.RecentConflicts);
                }

                Wake();
                break;
            case MdnsObservationKind.Challenged:
                LogChallenged(logger, observation.Name!.ToString(), nic.Name);
                Wake();
                break;
            case MdnsObservationKind.LostTieBreak:
                LogLostTieBreak(logger, observation.Name!.ToString(), nic.Name);
                Wake();
                break;
        }
    }

    [LoggerMessage(EventId = 5106, Level = LogLevel.Debug, Message = "mDNS probing for {AirPlay} and {Raop}")]
    private static partial void LogProbing(ILogger logger, string airPlay, string raop);

    [LoggerMessage(EventId = 5107, Level = LogLevel.Trace, Message = "mDNS probe sent on {Interface} for {AirPlay}")]
    private static partial void LogProbeSent(ILogger logger, string @interface, string airPlay);

    [LoggerMessage(EventId = 5108, Level = LogLevel.Information, Message = "mDNS names won: {AirPlay} and {Raop}")]
    private static partial void LogWon(ILogger logger, string airPlay, string raop);

    [LoggerMessage(EventId = 5109, Level = LogLevel.Warning,
        Message = "mDNS name conflict: {Name} is taken on {Interface}; probing for {NewAirPlay} on host {NewHost}")]
    private static partial void LogConflict(ILogger logger, string name, string @interface, string newAirPlay, string newHost);

    [LoggerMessage(EventId = 5110, Level = LogLevel.Information,
        Message = "mDNS simultaneous probe for {Name} on {Interface} won by the other host; probing again in 1 s")]
    private static partial void LogLostTieBreak(ILogger logger, string name, string @interface);

    [LoggerMessage(EventId = 5111, Level = LogLevel.Warning,
        Message = "mDNS announced name {Name} claimed by another host on {Interface}; probing again")]
    private static partial void LogChallenged(ILogger logger, string name, string @interface);

    [LoggerMessage(EventId = 5112, Level = LogLevel.Warning, Message = "mDNS {Conflicts} conflicts in 10 s; waiting 5 s before probing again")]
    private static partial void LogRateLimited(ILogger logger, int conflicts);

    [LoggerMessage(EventId = 5102, Level = LogLevel.Debug, Message = "mDNS sent {Count} records on {Interface} (goodbye: {Goodbye})")]
    private static partial void LogAnnounced(ILogger logger, string @interface, int count, bool goodbye);

    [LoggerMessage(EventId = 5103, Level = LogLevel.Warning, Message = "mDNS send on {Interface} failed: {Error}")]
    private static partial void LogSendFailed(ILogger logger, string @interface, SocketError error, Exception exception);

    [LoggerMessage(EventId = 5104, Level = LogLevel.Debug, Message = "mDNS ignored a malformed packet on {Interface}: {Reason}")]
    private static partial void LogMalformed(ILogger logger, string @interface, string reason);

    [LoggerMessage(EventId = 5105, Level = LogLevel.Trace, Message = "mDNS answering on {Interface}: {Answers} answers, {Additionals} additional records")]
    private static partial void LogAnswering(ILogger logger, string @interface, int answers, int additionals);
}
