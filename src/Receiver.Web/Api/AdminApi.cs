using System.Globalization;
using System.Reflection;
using Microsoft.AspNetCore.Http.HttpResults;
using Receiver.Core.Access;
using Receiver.Core.Sessions;
using Receiver.Web.Access;
using Receiver.Web.Hosting;
using Receiver.Web.Hosting.Https;
using Receiver.Web.Metrics;
using Receiver.Web.Recording;
using Receiver.Web.Security;

namespace Receiver.Web.Api;

/// <summary>The REST admin API under <c>/api</c>: the receiver, its live sessions, their snapshots, and disconnecting them.</summary>
public static class AdminApi
{
    public static IEndpointRouteBuilder MapAdminApi(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var api = endpoints.MapGroup("/api").WithTags("Admin").RequireAuthorization(ReceiverPolicies.Admin).RequireSameOrigin();
        api.MapGet("/receiver", GetReceiver).WithName("GetReceiver").WithSummary("The receiver's identity, ports and number of sessions");
        api.MapGet("/sessions", ListSessions).WithName("ListSessions").WithSummary("The live sessions, oldest first");
        api.MapGet("/sessions/ended", ListEndedSessions).WithName("ListEndedSessions")
            .WithSummary("The sessions that ended last, newest first, with why (teardown, disconnect, timeout, kicked, error, shutdown)");
        api.MapGet("/sessions/{id}", GetSession).WithName("GetSession").WithSummary("Everything known about one live session");
        api.MapDelete("/sessions/{id}", DisconnectSession).WithName("DisconnectSession")
            .WithSummary("Ends a session: its connections close and its viewers are told it ended (reason 'kicked')");
        api.MapGet("/sessions/{id}/snapshot.jpg", GetSnapshot).WithName("GetSessionSnapshot")
            .WithSummary("The session's latest keyframe as a JPEG picture")
            .Produces(StatusCodes.Status200OK, contentType: "image/jpeg");
        api.MapGet("/webrtc", (WebRtc.JanusIngestService janus) => TypedResults.Ok(janus.Status())).WithName("GetWebRtc")
            .WithSummary("WebRTC viewing: Janus's state (off, reachable, unreachable) and each live session's mountpoint and WebRTC viewers");
        endpoints.MapGet("/readyz", GetReadiness).WithTags("Health").WithName("GetReadiness")
            .WithSummary("200 once the AirPlay ports are bound and discovery is announced (or off); 503 before").AllowAnonymous();
        return endpoints;
    }

    internal static Ok<ReceiverInfo> GetReceiver(ReceiverRuntime runtime, SessionRegistry registry, AccessOptions access, HttpsCertificate https, HttpContext context)
    {
        var settings = runtime.Settings;
        var features = string.Create(CultureInfo.InvariantCulture, $"0x{settings.Features:X}");
        return TypedResults.Ok(new ReceiverInfo(settings.Name, settings.DeviceId, settings.Model, settings.SourceVersion, features,
            runtime.Endpoints.ControlPort, runtime.Endpoints.MirrorPort, Version, registry.Count,
            new AccessInfo(AccessViews.Name(access.Mode), access.RememberSenders),
            HttpsInfo.From(https, runtime.Endpoints, context.Request.Host.Host)));
    }

    internal static Ok<SessionSummary[]> ListSessions(SessionRegistry registry, SessionStatsTracker tracker, RecordingService recordings) =>
        TypedResults.Ok(registry.Sessions.Select(s => SessionViews.Summary(s, tracker, recordings)).ToArray());

    internal static Ok<EndedSessionSummary[]> ListEndedSessions(SessionRegistry registry) =>
        TypedResults.Ok(registry.RecentlyEnded.Select(EndedSessionSummary.From).ToArray());

    internal static Results<Ok<SessionDetail>, ProblemHttpResult> GetSession(string id, SessionRegistry registry, SessionStatsTracker tracker, RecordingService recordings) =>
        registry.TryGet(id, out var session) ? TypedResults.Ok(SessionViews.Detail(session, tracker, recordings)) : NotFound(id);

    internal static Results<NoContent, ProblemHttpResult> DisconnectSession(string id, SessionRegistry registry)
    {
        if (!registry.TryGet(id, out var session))
        {
            return NotFound(id);
        }

        registry.End(session, SessionEndReason.Kicked);
        return TypedResults.NoContent();
    }

    internal static async Task<Results<FileContentHttpResult, ProblemHttpResult>> GetSnapshot(
        string id, SessionRegistry registry, SessionSnapshotter snapshotter, HttpContext context)
    {
        if (!registry.TryGet(id, out var session))
        {
            return NotFound(id);
        }

        byte[]? jpeg;
        try
        {
            jpeg = await snapshotter.GetJpegAsync(session, context.RequestAborted);
        }
        catch (TimeoutException ex)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Snapshot timed out", detail: ex.Message);
        }
        catch (SnapshotFailedException ex)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Snapshot failed", detail: ex.Message);
        }

        if (jpeg is null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No picture yet",
                detail: $"Session '{id}' has not sent a keyframe yet.");
        }

        context.Response.Headers.CacheControl = "no-store";
        return TypedResults.File(jpeg, "image/jpeg");
    }

    internal static Results<Ok<Readiness>, JsonHttpResult<Readiness>> GetReadiness(ReceiverEndpoints endpoints, IEnumerable<IHostedService> hostedServices, WebRtc.JanusIngestService janus)
    {
        var discovery = hostedServices.OfType<DiscoveryService>().FirstOrDefault();
        var portsBound = endpoints.IsBound;
        var discoveryReady = discovery?.IsReady ?? true;
        return portsBound && discoveryReady
            ? TypedResults.Ok(new Readiness("ready", portsBound, discoveryReady, janus.State))
            : TypedResults.Json(new Readiness("starting", portsBound, discoveryReady, janus.State), statusCode: StatusCodes.Status503ServiceUnavailable);
    }

    private static ProblemHttpResult NotFound(string id) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such session", detail: $"There is no live session '{id}'.");

    internal static string Version { get; } =
        typeof(AdminApi).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";
}
