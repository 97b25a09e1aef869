using OpenTelemetry.Metrics;
using Receiver.Web.Access;
using Receiver.Web.Hubs;
using Receiver.Web.Metrics;
using Receiver.Web.Security;
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
        services.AddSingleton<Receiver.Web.Diagnostics.SessionCaptures>();
        services.AddHostedService<SessionEventForwarder>();
        services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(ReceiverMetrics.MeterName, Receiver.Web.Media.MediaMetrics.MeterName, "System.Runtime")
            .AddPrometheusExporter());
        return services;
    }

    /// <summary>Maps <c>/api</c>, the hub, <c>/openapi</c>, <c>/scalar</c>, <c>/metrics</c> and <c>/readyz</c>, each with its policy.</summary>
    public static WebApplication MapAdmin(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapAdminApi();
        app.MapRecordingApi();
        app.MapCaptureApi();
        app.MapAccessApi();
        app.MapHub<SessionsHub>(SessionsHub.Path).RequireAuthorization(ReceiverPolicies.Admin).RequireSameOrigin();
        app.MapOpenApi().RequireAuthorization(ReceiverPolicies.Admin);
        app.MapScalarApiReference(options => options.WithTitle("AirPlay Web Receiver API")).RequireAuthorization(ReceiverPolicies.Admin);
        var metrics = app.MapPrometheusScrapingEndpoint();
        if (app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Receiver.Web.Options.ReceiverOptions>>().Value.Admin.PublicMetrics)
        {
            metrics.AllowAnonymous();
        }
        else
        {
            metrics.RequireAuthorization(ReceiverPolicies.Admin);
        }

        _ = app.Services.GetRequiredService<ReceiverMetrics>();
        return app;
    }
}
