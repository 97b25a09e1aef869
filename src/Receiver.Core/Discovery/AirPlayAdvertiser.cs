using Microsoft.Extensions.Logging;

namespace Receiver.Core.Discovery;

/// <summary>
/// Advertises the receiver as <c>_airplay._tcp</c> and <c>_raop._tcp</c> over multicast DNS on the configured
/// interfaces (PROTOCOL-NOTES section 1).
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
    private readonly string configuredName;
    private MdnsResponder? responder;
    private volatile AirPlayServiceZone zone;
    private volatile string? advertisedName;

    public AirPlayAdvertiser(AirPlayServiceInfo info, DiscoveryOptions options, ILogger<AirPlayAdvertiser> logger)
    {
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

    public bool IsRunning => responder is not null;

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
    /// announced once the names are won (<see cref="AdvertisedNameChanged"/>).
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
            if (responder is not null)
            {
                return;
            }

            var interfaces = MdnsInterfaceSelector.Select(options.Interfaces, out var rejected);
            foreach (var reason in rejected)
            {
                LogInterfaceRejected(logger, reason);
            }

            if (interfaces.Count == 0)
            {
                LogNoInterface(logger);
                return;
            }

            var started = new MdnsResponder(zone, interfaces, logger);
            started.Announced += OnAnnounced;
            try
            {
                await started.StartAsync(ct).ConfigureAwait(false);
            }
            catch
            {
                await started.DisposeAsync().ConfigureAwait(false);
                throw;
            }

            responder = started;
            LogStarted(logger, zone.AirPlayInstance.ToString(), zone.RaopInstance.ToString(), string.Join(", ", interfaces.Select(i => i.Name)));
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Sends goodbye packets (TTL 0) for every record and leaves the multicast group.</summary>
    public async Task StopAsync(CancellationToken ct)
    {
        await gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (responder is null)
            {
                return;
            }

            await responder.StopAsync(ct).ConfigureAwait(false);
            responder.Announced -= OnAnnounced;
            await responder.DisposeAsync().ConfigureAwait(false);
            responder = null;
            advertisedName = null;
            LogStopped(logger);
        }
        finally
        {
            gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None).ConfigureAwait(false);
        gate.Dispose();
    }

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

    [LoggerMessage(EventId = 5003, Level = LogLevel.Warning, Message = "mDNS advertisement not started: no usable multicast interface")]
    private static partial void LogNoInterface(ILogger logger);

    [LoggerMessage(EventId = 5004, Level = LogLevel.Information, Message = "Probing for {AirPlay} and {Raop} on {Interfaces}")]
    private static partial void LogStarted(ILogger logger, string airPlay, string raop, string interfaces);

    [LoggerMessage(EventId = 5005, Level = LogLevel.Information, Message = "mDNS advertisement stopped (goodbye sent)")]
    private static partial void LogStopped(ILogger logger);
}
