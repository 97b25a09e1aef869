using OpenTelemetry.Metrics;
using Receiver.Web.Access;
using Receiver.Web.Hubs;
using Receiver.Web.Metrics;
using Scalar.AspNetCore;

namespace Receiver.Web.Api;

/// <summary>Registers and maps the operator surface: REST API, sessions hub, OpenAPI document, metrics and readiness.</summary>
public static class AdminExtensions
{
    public static IServiceCollection AddAdmin(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddProblemDetails();
        services.AddOpenApi();
        services.AddSignalR();
        services.AddSingleton<SessionStatsTracker>();
        services.AddSingleton<ReceiverMetrics>();
        services.AddSingleton<Receiver.Web.Media.MediaMetrics>();
        services.AddSingleton<SessionSnapshotter>();
        services.AddHostedService<SessionEventForwarder>();
        services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(ReceiverMetrics.MeterName, Receiver.Web.Media.MediaMetrics.MeterName)
            .AddPrometheusExporter());
        return services;
    }

    /// <summary>Adds the API key check (before the endpoints) and maps <c>/api</c>, the hub, <c>/openapi</c>, <c>/scalar</c>, <c>/metrics</c> and <c>/readyz</c>.</summary>
    public static WebApplication MapAdmin(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseMiddleware<ApiKeyMiddleware>();
        app.MapAdminApi();
        app.MapRecordingApi();
        app.MapAccessApi();
        app.MapHub<SessionsHub>(SessionsHub.Path);
        app.MapOpenApi();
        app.MapScalarApiReference(options => options.WithTitle("AirPlay Web Receiver API"));
        app.MapPrometheusScrapingEndpoint();
        _ = app.Services.GetRequiredService<ReceiverMetrics>();
        return app;
    }
}
