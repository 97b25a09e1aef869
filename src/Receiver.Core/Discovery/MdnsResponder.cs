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
    private readonly HashSet<(int Interface, string Family, SocketError Error)> reportedSendFailures = [];
    private readonly TimeProvider time;
    private readonly SemaphoreSlim wake = new(0, 1);
    private readonly CancellationTokenSource stopping = new();
    private readonly Lock sync = new();
    private readonly Random random;
    private readonly MdnsProbeStateMachine machine;
    private AirPlayServiceZone zone;
    private AirPlayServiceZone? announced;
    private MdnsSocket? socket;
    private MdnsSocket? socket6;
    private Task receiveLoop = Task.CompletedTask;
    private Task receiveLoop6 = Task.CompletedTask;
    private Task probeLoop = Task.CompletedTask;

    /// <param name="random">The random delays of RFC 6762 (before the first probe, before shared answers); a seeded one makes them repeatable.</param>
    public MdnsResponder(AirPlayServiceZone zone, IReadOnlyList<MdnsInterface> interfaces, ILogger logger, TimeProvider? time = null, Random? random = null)
    {
        this.random = random ?? Random.Shared;
        machine = new MdnsProbeStateMachine(() => TimeSpan.FromMilliseconds(NextJitter(0, 251)));
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

    /// <summary>A random delay in milliseconds, [<paramref name="min"/>, <paramref name="max"/>).</summary>
    private int NextJitter(int min, int max)
    {
        lock (random)
        {
            return random.Next(min, max);
        }
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
                        await ProbeAsync(current, ct).ConfigureAwait(false);
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

    private async Task ProbeAsync(AirPlayServiceZone current, CancellationToken ct)
    {
        foreach (var nic in interfaces.Values)
        {
            var packet = DnsProbeWriter.Write(current.ProbeQuestions(nic.Addresses), current.UniqueRecords(nic.Addresses));
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
                ReportSendFailure(nic, via, e.SocketErrorCode);
            }
        }
    }

    /// <summary>
    /// A send that fails for a reason of the network (an interface without an IPv6 route, a link going down) is one
    /// line the first time; the same failure again on the same interface and family is logged at debug level only.
    /// </summary>
    private void ReportSendFailure(MdnsInterface nic, MdnsSocket via, SocketError error)
    {
        var family = ReferenceEquals(via, socket6) ? "IPv6" : "IPv4";
        bool first;
        lock (reportedSendFailures)
        {
            first = reportedSendFailures.Add((nic.Index, family, error));
        }

        if (first)
        {
            LogSendFailed(logger, nic.Name, family, error);
        }
        else
        {
            LogSendFailedAgain(logger, nic.Name, family, error);
        }
    }
}
