using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Receiver.Core.Sessions;
using Receiver.Web.Access;
using Receiver.Web.Api;
using Receiver.Web.Media;
using Receiver.Web.Options;
using Receiver.Web.Recording;
using Receiver.Web.Security;

namespace Receiver.Web.Hosting;

/// <summary>Builds the receiver host: options, Kestrel listeners, sessions, discovery and the web endpoints.</summary>
public static class ReceiverApp
{
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            ContentRootPath = AppContext.BaseDirectory,
            WebRootPath = Path.Combine(AppContext.BaseDirectory, "wwwroot"),
        });
        configure?.Invoke(builder);

        var endpoints = new ReceiverEndpoints();
        builder.Services.AddSingleton(endpoints);
        builder.Services.AddOptions<ReceiverOptions>()
            .Bind(builder.Configuration.GetSection(ReceiverOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<ReceiverOptions>, ReceiverOptionsValidator>();
        // A clock registered by the caller (a test's fake clock) wins.
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<ReceiverRuntime>();
        builder.Services.AddSingleton<Https.HttpsCertificate>();
        builder.Services.AddSingleton<SessionEventHub>();
        var mediaOptions = Receiver.Web.Media.MediaWebSocketOptions.From(builder.Configuration);
        builder.Services.AddSingleton(mediaOptions);
        builder.Services.AddSingleton(mediaOptions.ToChannelOptions());
        builder.Services.AddSingleton<Receiver.Web.Media.ViewerSlots>();
        builder.Services.AddSingleton<Receiver.Web.Media.ViewerPresence>();
        builder.Services.AddSingleton(sp =>
        {
            var limits = sp.GetRequiredService<IOptions<ReceiverOptions>>().Value.Limits;
            return new Receiver.Web.Connections.ConnectionLimiter(Receiver.Web.Connections.ConnectionLimiter.ControlPort, limits.MaxControlConnections, limits.MaxControlConnectionsPerAddress,
                TimeSpan.FromSeconds(limits.RefusalLogIntervalSeconds), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILoggerFactory>().CreateLogger<Receiver.Web.Connections.ConnectionLimiter>());
        });
        // A watchdog registered by the caller (a test's, with its own share and window) wins.
        builder.Services.TryAddSingleton(sp =>
        {
            var limits = sp.GetRequiredService<IOptions<ReceiverOptions>>().Value.Limits;
            return new Receiver.Core.Media.FfmpegCpuWatchdog(limits.FfmpegMaxCpuPercent, TimeSpan.FromSeconds(limits.FfmpegCpuWindowSeconds),
                sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILoggerFactory>().CreateLogger<Receiver.Core.Media.FfmpegCpuWatchdog>());
        });
        // The mirror port's caps: the same limiter type, counted apart (resolved by its key, "mirror").
        builder.Services.AddKeyedSingleton(Receiver.Web.Connections.ConnectionLimiter.MirrorPort, (sp, _) =>
        {
            var limits = sp.GetRequiredService<IOptions<ReceiverOptions>>().Value.Limits;
            return new Receiver.Web.Connections.ConnectionLimiter(Receiver.Web.Connections.ConnectionLimiter.MirrorPort, limits.MaxMirrorConnections, limits.MaxMirrorConnectionsPerAddress,
                TimeSpan.FromSeconds(limits.RefusalLogIntervalSeconds), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILoggerFactory>().CreateLogger<Receiver.Web.Connections.ConnectionLimiter>());
        });
        builder.Services.AddSingleton(sp => new SessionRegistry(sp.GetRequiredService<SessionEventHub>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<Receiver.Core.Media.MediaChannelOptions>())
        {
            MaxSessions = sp.GetRequiredService<IOptions<ReceiverOptions>>().Value.Sessions.Max,
        });
        builder.Services.AddSingleton<Receiver.Web.Connections.LegacyMirrorHandler>();
        builder.Services.AddSingleton<Receiver.Web.Casting.CastFetcher>();
        builder.Services.AddHostedService<ReceiverLifetimeService>();
        builder.Services.AddHostedService<DiscoveryService>();
        // A free-space source registered by the caller (a test's nearly full volume) wins.
        builder.Services.TryAddSingleton<IVolumeFreeSpace, DriveFreeSpace>();
        builder.Services.AddSingleton<RecordingService>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<RecordingService>());
        builder.Services.AddSingleton<WebRtc.JanusIngestService>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<WebRtc.JanusIngestService>());
        builder.Services.AddSingleton<RecordingSweeper>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<RecordingSweeper>());
        builder.Services.AddAdmin(builder.Configuration);
        builder.Services.AddAccess(builder.Configuration);
        builder.Services.AddReceiverSecurity(builder.Configuration);
        // The web addresses ("urls") are bound by KestrelSetup next to the AirPlay ports. The embedded defaults do not
        // set "urls" (KestrelSetup.DefaultUrls applies), so that Kestrel has no host address to warn about overriding.
        var webUrls = builder.Configuration[WebHostDefaults.ServerUrlsKey];
        builder.WebHost.ConfigureKestrel((context, kestrel) => KestrelSetup.Configure(kestrel, context.Configuration, webUrls, endpoints));
        // The mirror port's own transport (64 KiB blocks); registered after Kestrel's, so Kestrel asks it first, and it
        // binds only the mirror port's MirrorPortEndPoint.
        builder.Services.AddSingleton<TransportBlockPoolFactory>();
        builder.Services.AddSingleton<MirrorPortTransportFactory>();
        builder.Services.AddSingleton<Microsoft.AspNetCore.Connections.IConnectionListenerFactory>(sp => sp.GetRequiredService<MirrorPortTransportFactory>());

        var app = builder.Build();
        app.UseContentSecurityPolicy(ContentSecurityPolicy.ImportMapHashes(app.Environment.WebRootPath), Receiver.Web.Casting.CastPagePolicy.ConnectSourcesAsync);
        // Static files (pages, scripts, styles) are anonymous: they hold no data; everything they fetch is authorized.
        app.UseDefaultFiles();
        app.UseStaticFiles();
        app.UseReceiverSecurity();
        app.MapMediaEndpoints();
        Receiver.Web.Casting.CastEndpoints.MapCastEndpoints(app);
        WebRtc.WebRtcEndpoints.MapWebRtcEndpoints(app);
        app.MapGet("/healthz", () => TypedResults.Ok(new { status = "ok" })).AllowAnonymous();
        Https.ViewerInfo.Map(app);
        app.MapAdmin();
        app.MapSecurityApi();
        return app;
    }
}
