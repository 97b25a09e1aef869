using Receiver.Core.Sessions;

namespace Receiver.Web.Hosting;

/// <summary>
/// Logs the bound ports once the host runs (and, where the system cannot set them, that ffmpeg runs without resource
/// limits), watches that every session's sender is still sending (<see cref="SenderWatchdog"/>), and ends every
/// session when it stops.
/// </summary>
public sealed partial class ReceiverLifetimeService(
    ReceiverRuntime runtime,
    SessionRegistry registry,
    IHostApplicationLifetime lifetime,
    ILoggerFactory loggerFactory,
    ILogger<ReceiverLifetimeService> logger) : IHostedService, IDisposable
{
    private SenderWatchdog? _watchdog;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _watchdog = new SenderWatchdog(registry, runtime.SenderTimeout, loggerFactory.CreateLogger<SenderWatchdog>());
        lifetime.ApplicationStarted.Register(() =>
        {
            var settings = runtime.Settings;
            LogStarted(logger, settings.Name, settings.DeviceId, runtime.Endpoints.ControlPort, runtime.Endpoints.MirrorPort,
                string.Join(", ", runtime.Endpoints.WebUrls.Concat(runtime.Endpoints.HttpsUrls)));
            if (!Receiver.Core.Media.ProcessResourceLimits.IsSupported)
            {
                LogFfmpegUnlimited(logger, runtime.Options.Limits.FfmpegMaxMemoryMiB, runtime.Options.Limits.SnapshotCpuSeconds);
            }
        });
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _watchdog?.Dispose();
        registry.EndAll(SessionEndReason.Shutdown);
        return Task.CompletedTask;
    }

    public void Dispose() => _watchdog?.Dispose();

    [LoggerMessage(EventId = 10, Level = LogLevel.Information, Message = "Receiver '{Name}' ({DeviceId}) listening: control port {ControlPort}, mirror port {MirrorPort}, web {WebUrls}")]
    private static partial void LogStarted(ILogger logger, string name, string deviceId, int controlPort, int mirrorPort, string webUrls);

    [LoggerMessage(EventId = 11, Level = LogLevel.Warning, Message = "ffmpeg runs without its memory ({MemoryMiB} MiB) and snapshot CPU ({CpuSeconds} s) limits: this system has no prlimit; the transcoders' CPU watchdog still applies")]
    private static partial void LogFfmpegUnlimited(ILogger logger, int memoryMiB, int cpuSeconds);
}
