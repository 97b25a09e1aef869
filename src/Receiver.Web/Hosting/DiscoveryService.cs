using Receiver.Core.Discovery;

namespace Receiver.Web.Hosting;

/// <summary>
/// Advertises <c>_airplay._tcp</c> and <c>_raop._tcp</c> once the ports are bound (probing that the names are free,
/// moving to <c>Name (2)</c>… on conflict and making that the receiver's name); withdraws them on shutdown.
/// </summary>
public sealed partial class DiscoveryService(
    ReceiverRuntime runtime,
    IHostApplicationLifetime lifetime,
    ILoggerFactory loggerFactory,
    TimeProvider time) : IHostedService, IAsyncDisposable
{
    private readonly ILogger _logger = loggerFactory.CreateLogger<DiscoveryService>();
    private AirPlayAdvertiser? _advertiser;

    /// <summary>True when discovery is off by configuration or the services are announced (their names won by probing).</summary>
    public bool IsReady => !runtime.Options.Discovery.Enabled || _advertiser?.IsAnnounced == true;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (!runtime.Options.Discovery.Enabled)
        {
            LogDisabled(_logger);
            return Task.CompletedTask;
        }

        lifetime.ApplicationStarted.Register(() => _ = StartAdvertisingAsync(lifetime.ApplicationStopping));
        return Task.CompletedTask;
    }

    private async Task StartAdvertisingAsync(CancellationToken cancellationToken)
    {
        try
        {
            var settings = runtime.Settings;
            var info = new AirPlayServiceInfo(runtime.ConfiguredName, settings.DeviceId, settings.Features, settings.PublicKey, runtime.Endpoints.ControlPort,
                settings.Model, settings.SourceVersion);
            _advertiser = new AirPlayAdvertiser(info, runtime.Options.Discovery, loggerFactory.CreateLogger<AirPlayAdvertiser>(), time);

            // After a name conflict the receiver is advertised as "Name (2)"; /info and /api/receiver follow.
            _advertiser.AdvertisedNameChanged += (_, e) => runtime.UseAdvertisedName(e.Name);
            await _advertiser.StartAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogFailed(_logger, ex);
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_advertiser is not null)
        {
            await _advertiser.StopAsync(cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_advertiser is not null)
        {
            await _advertiser.DisposeAsync();
        }
    }

    [LoggerMessage(EventId = 30, Level = LogLevel.Information, Message = "mDNS discovery is off (Receiver:Discovery:Enabled=false)")]
    private static partial void LogDisabled(ILogger logger);

    [LoggerMessage(EventId = 31, Level = LogLevel.Error, Message = "mDNS advertisement failed; senders will not find this receiver")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
