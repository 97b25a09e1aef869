using System.Net.NetworkInformation;
using Microsoft.Extensions.Logging;
using Receiver.Core.Timing;

namespace Receiver.Core.Discovery;

/// <summary>
/// Advertises the receiver as <c>_airplay._tcp</c> and <c>_raop._tcp</c> over multicast DNS on the configured
/// interfaces (docs/PROTOCOL.md §1), and follows the network: when interfaces or their addresses change (a
/// receiver started before the network was up, a new DHCP lease, Wi-Fi coming back), the names are probed and
/// announced again with the new addresses.
/// </summary>
/// <remarks>
/// The responder is built in (<see cref="MdnsResponder"/> over <see cref="DnsQueryParser"/> and
/// <see cref="DnsResponseWriter"/>) rather than taken from Makaretu.Dns.Multicast: that package (0.27.0, the
/// only version available) references the type <c>System.Net.IPNetwork</c> of IPNetwork2 2.x, which IPNetwork2
/// 5.x renamed to <c>System.Net.IPNetwork2</c>. Only IPNetwork2 5.x restores, so the static constructor of
/// <c>MulticastService</c> throws <see cref="TypeLoadException"/> and every use of the package fails. The
/// built-in responder needs no third-party package and restricts itself to the configured interfaces.
/// </remarks>
public sealed partial class AirPlayAdvertiser : IAsyncDisposable
{
    private readonly DiscoveryOptions options;
    private readonly ILogger<AirPlayAdvertiser> logger;
    private readonly SemaphoreSlim gate = new(1, 1);
    private readonly SemaphoreSlim networkChanged = new(0, 1);
    private readonly string configuredName;
    private MdnsResponder? responder;
    private IReadOnlyList<MdnsInterface> selected = [];
    private CancellationTokenSource? watching;
    private Task watchLoop = Task.CompletedTask;
    private volatile AirPlayServiceZone zone;
    private volatile string? advertisedName;

    /// <summary>How long a burst of network changes is left to settle before the interfaces are read again.</summary>
    public static readonly TimeSpan NetworkSettleDelay = TimeSpan.FromSeconds(1);

    /// <summary>How often the interfaces are read again without a change notification (which some platforms lack).</summary>
    public static readonly TimeSpan NetworkRecheckInterval = TimeSpan.FromSeconds(30);

    private readonly TimeProvider time;

    public AirPlayAdvertiser(AirPlayServiceInfo info, DiscoveryOptions options, ILogger<AirPlayAdvertiser> logger, TimeProvider? time = null)
    {
        this.time = time ?? TimeProvider.System;
        ArgumentNullException.ThrowIfNull(info);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        if (!info.HasValidDeviceId)
        {
            throw new ArgumentException($"Device id '{info.DeviceId}' is not of the form aa:bb:cc:dd:ee:ff.", nameof(info));
        }

        this.options = options;
        this.logger = logger;
        configuredName = info.InstanceName;
        var host = string.IsNullOrEmpty(options.HostName) ? "airplay-" + info.DeviceIdHex.ToLowerInvariant() : options.HostName;
        zone = new AirPlayServiceZone(info, host);
    }

    /// <summary>
    /// Raised when the services are first announced and whenever a name conflict made them move to another name
    /// (<c>Name (2)</c>, …). Raised on a responder thread.
    /// </summary>
    public event EventHandler<AdvertisedNameChangedEventArgs>? AdvertisedNameChanged;

    /// <summary>True while a responder runs on at least one interface.</summary>
    public bool IsRunning => responder is not null;

    /// <summary>True from <see cref="StartAsync"/> to <see cref="StopAsync"/>, even while no interface is usable.</summary>
    public bool IsWatchingNetwork => watching is not null;

    /// <summary>True while the current names are won by probing and announced.</summary>
    public bool IsAnnounced => responder?.IsAnnounced == true;

    /// <summary>
    /// The <c>_airplay._tcp</c> instance name actually announced, e.g. <c>Name (2)</c> after a conflict; null
    /// until the first announcement.
    /// </summary>
    public string? AdvertisedName => advertisedName;

    /// <summary>
    /// The published (or, while probing, proposed) records; changes after a conflict. Its TXT rdata is what
    /// <c>GET /info</c> qualifier replies return.
    /// </summary>
    public AirPlayServiceZone Zone => zone;

    /// <summary>
    /// Joins the multicast group on the selected interfaces and starts probing for the names; both services are
    /// announced once the names are won (<see cref="AdvertisedNameChanged"/>). With no usable interface yet, the
    /// advertisement starts as soon as one appears.
    /// </summary>
    public async Task StartAsync(CancellationToken ct)
    {
        if (!options.Enabled)
        {
            LogDisabled(logger);
            return;
        }

        await gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (watching is not null)
            {
                return;
            }

            await StartResponderAsync(MdnsInterfaceSelector.Select(options.Interfaces, out var rejected), rejected, ct).ConfigureAwait(false);
            var watch = new CancellationTokenSource();
            watching = watch;
            try
            {
                NetworkChange.NetworkAddressChanged += OnNetworkAddressChanged;
            }
            catch (PlatformNotSupportedException)
            {
                // The periodic check still follows the network.
            }

            watchLoop = Task.Run(() => WatchNetworkAsync(watch.Token), CancellationToken.None);
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Sends goodbye packets (TTL 0) for every record and leaves the multicast group.</summary>
    public async Task StopAsync(CancellationToken ct)
    {
        CancellationTokenSource? watch;
        await gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            watch = watching;
            watching = null;
            if (watch is not null)
            {
                NetworkChange.NetworkAddressChanged -= OnNetworkAddressChanged;
                await watch.CancelAsync().ConfigureAwait(false);
            }

            if (responder is not null)
            {
                await StopResponderAsync(sendGoodbyes: true, ct).ConfigureAwait(false);
                advertisedName = null;
                LogStopped(logger);
            }
        }
        finally
        {
            gate.Release();
        }

        // The watch loop may be waiting for the gate: it ends once it gets it, or at once if it was not.
        await watchLoop.ConfigureAwait(false);
        watch?.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None).ConfigureAwait(false);
        gate.Dispose();
        networkChanged.Dispose();
    }

    // Under the gate. Keeps the selection and, when it holds any interface, starts a responder for the current zone.
    private async Task StartResponderAsync(IReadOnlyList<MdnsInterface> interfaces, IReadOnlyList<string> rejected, CancellationToken ct)
    {
        selected = interfaces;
        foreach (var reason in rejected)
        {
            LogInterfaceRejected(logger, reason);
        }

        if (interfaces.Count == 0)
        {
            LogNoInterface(logger);
            return;
        }

        var started = new MdnsResponder(zone, interfaces, logger, time);
        started.Announced += OnAnnounced;
        try
        {
            await started.StartAsync(ct).ConfigureAwait(false);
        }
        catch
        {
            selected = [];
            started.Announced -= OnAnnounced;
            await started.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        responder = started;
        LogStarted(logger, zone.AirPlayInstance.ToString(), zone.RaopInstance.ToString(), string.Join(", ", interfaces.Select(i => i.Name)));
    }

    // Under the gate.
    private async Task StopResponderAsync(bool sendGoodbyes, CancellationToken ct)
    {
        var stopping = responder!;
        responder = null;
        try
        {
            await stopping.StopAsync(sendGoodbyes, ct).ConfigureAwait(false);
        }
        finally
        {
            stopping.Announced -= OnAnnounced;
            await stopping.DisposeAsync().ConfigureAwait(false);
        }

        // A responder stopped while probing after a rename leaves its proposal as the name to carry on with.
        zone = stopping.Zone;
    }

    private void OnNetworkAddressChanged(object? sender, EventArgs e)
    {
        try
        {
            if (networkChanged.CurrentCount == 0)
            {
                networkChanged.Release();
            }
        }
        catch (Exception ex) when (ex is SemaphoreFullException or ObjectDisposedException)
        {
            // Already signalled, or stopped.
        }
    }

    /// <summary>True when the network changed; false when <see cref="NetworkRecheckInterval"/> passed without a change.</summary>
    private async Task<bool> WaitForNetworkChangeAsync(CancellationToken ct)
    {
        using var recheck = new LinkedTimeout(time, NetworkRecheckInterval, ct);
        try
        {
            await networkChanged.WaitAsync(recheck.Token).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return false;
        }
    }

    private async Task WatchNetworkAsync(CancellationToken ct)
    {
        try
        {
            while (true)
            {
                if (await WaitForNetworkChangeAsync(ct).ConfigureAwait(false))
                {
                    // Addresses come and go in bursts (a lease brings IPv4, IPv6 link-local and global addresses).
                    await Task.Delay(NetworkSettleDelay, time, ct).ConfigureAwait(false);
                    networkChanged.Wait(0, CancellationToken.None);
                }

                try
                {
                    await FollowNetworkAsync(ct).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogNetworkFollowFailed(logger, ex);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    private async Task FollowNetworkAsync(CancellationToken ct)
    {
        await gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (ct.IsCancellationRequested)
            {
                return;
            }

            var now = MdnsInterfaceSelector.Select(options.Interfaces, out var rejected);
            if (SameInterfaces(selected, now))
            {
                return;
            }

            LogNetworkChanged(logger, Describe(selected), Describe(now));
            if (responder is not null)
            {
                // The names are kept: a responder that takes them over at once announces with the cache-flush bit,
                // which replaces the old addresses in caches. Only when no interface is left are goodbyes sent.
                await StopResponderAsync(sendGoodbyes: now.Count == 0, ct).ConfigureAwait(false);
            }

            await StartResponderAsync(now, rejected, ct).ConfigureAwait(false);
        }
        finally
        {
            gate.Release();
        }
    }

    private static bool SameInterfaces(IReadOnlyList<MdnsInterface> a, IReadOnlyList<MdnsInterface> b) =>
        a.Count == b.Count && a.Zip(b).All(p => p.First.Index == p.Second.Index && p.First.Name == p.Second.Name && p.First.Addresses.SequenceEqual(p.Second.Addresses));

    private static string Describe(IReadOnlyList<MdnsInterface> interfaces) =>
        interfaces.Count == 0 ? "none" : string.Join("; ", interfaces.Select(i => i.Name + " " + string.Join(", ", i.Addresses)));

    private void OnAnnounced(object? sender, MdnsAnnouncedEventArgs e)
    {
        var name = e.Zone.Info.InstanceName;
        var previous = advertisedName;
        zone = e.Zone;
        advertisedName = name;
        if (string.Equals(previous, name, StringComparison.Ordinal))
        {
            return;
        }

        if (string.Equals(name, configuredName, StringComparison.Ordinal))
        {
            LogAdvertised(logger, name, e.Zone.RaopInstance.Labels[0]);
        }
        else
        {
            LogAdvertisedRenamed(logger, name, e.Zone.RaopInstance.Labels[0], configuredName);
        }

        AdvertisedNameChanged?.Invoke(this, new AdvertisedNameChangedEventArgs(name, e.Zone.RaopInstance.Labels[0], e.Zone.HostName.ToString()));
    }

    [LoggerMessage(EventId = 5006, Level = LogLevel.Information, Message = "Advertised as \"{Name}\" (RAOP \"{Raop}\")")]
    private static partial void LogAdvertised(ILogger logger, string name, string raop);

    [LoggerMessage(EventId = 5007, Level = LogLevel.Warning,
        Message = "Advertised as \"{Name}\" (RAOP \"{Raop}\"): the configured name \"{Configured}\" is taken on the network")]
    private static partial void LogAdvertisedRenamed(ILogger logger, string name, string raop, string configured);

    [LoggerMessage(EventId = 5001, Level = LogLevel.Information, Message = "mDNS advertisement disabled")]
    private static partial void LogDisabled(ILogger logger);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Warning, Message = "mDNS interface not used: {Reason}")]
    private static partial void LogInterfaceRejected(ILogger logger, string reason);

    [LoggerMessage(EventId = 5003, Level = LogLevel.Warning, Message = "mDNS advertisement waiting: no usable multicast interface yet")]
    private static partial void LogNoInterface(ILogger logger);

    [LoggerMessage(EventId = 5004, Level = LogLevel.Information, Message = "Probing for {AirPlay} and {Raop} on {Interfaces}")]
    private static partial void LogStarted(ILogger logger, string airPlay, string raop, string interfaces);

    [LoggerMessage(EventId = 5005, Level = LogLevel.Information, Message = "mDNS advertisement stopped (goodbye sent)")]
    private static partial void LogStopped(ILogger logger);

    [LoggerMessage(EventId = 5008, Level = LogLevel.Information, Message = "Network changed: mDNS interfaces were {Before}, now {After}")]
    private static partial void LogNetworkChanged(ILogger logger, string before, string after);

    [LoggerMessage(EventId = 5009, Level = LogLevel.Warning, Message = "Following a network change failed; trying again at the next change")]
    private static partial void LogNetworkFollowFailed(ILogger logger, Exception exception);
}
