using Microsoft.AspNetCore.Http.HttpResults;
using Receiver.Core.Diagnostics;
using Receiver.Web.Diagnostics;
using Receiver.Web.Security;

namespace Receiver.Web.Api;

/// <summary>
/// Protocol captures under <c>/api</c> (admin only): <c>POST /api/sessions/{id}/capture</c> starts recording a live
/// session's packet headers (its control exchange is recorded from its first request),
/// <c>GET</c> downloads the capture as one JSON file (so far, or as it was when the session ended), <c>DELETE</c>
/// stops recording packet headers.
/// </summary>
public static class CaptureApi
{
    public const string JsonType = "application/json";

    public static IEndpointRouteBuilder MapCaptureApi(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var api = endpoints.MapGroup("/api").WithTags("Diagnostics").RequireAuthorization(ReceiverPolicies.Admin).RequireSameOrigin();
        api.MapPost("/sessions/{id}/capture", StartCapture).WithName("StartCapture")
            .WithSummary("Starts the protocol capture of a live session: its packet headers from now on, with its control exchange so far");
        api.MapGet("/sessions/{id}/capture", DownloadCapture).WithName("DownloadCapture")
            .WithSummary("Downloads the session's protocol capture as one JSON file, secrets removed (so far, or when the session ended)")
            .Produces(StatusCodes.Status200OK, contentType: JsonType);
        api.MapDelete("/sessions/{id}/capture", StopCapture).WithName("StopCapture")
            .WithSummary("Stops recording the session's packet headers; the capture stays downloadable");
        return endpoints;
    }

    internal static Results<Ok<CaptureInfo>, ProblemHttpResult> StartCapture(string id, SessionCaptures captures) =>
        captures.Start(id) is { } capture ? TypedResults.Ok(SessionCaptures.Info(capture)) : NoLiveSession(id);

    internal static Results<Ok<CaptureInfo>, ProblemHttpResult> StopCapture(string id, SessionCaptures captures) =>
        captures.Stop(id) is { } capture ? TypedResults.Ok(SessionCaptures.Info(capture)) : NoLiveSession(id);

    internal static Results<PushStreamHttpResult, PhysicalFileHttpResult, ProblemHttpResult> DownloadCapture(string id, SessionCaptures captures, HttpContext context)
    {
        context.Response.Headers.CacheControl = "no-store";
        if (captures.Find(id) is { } capture)
        {
            return TypedResults.Stream(
                stream => CaptureDocument.WriteAsync(stream, capture, captures.Receiver, context.RequestAborted),
                JsonType,
                SessionCaptures.FileName(id));
        }

        return captures.FileOf(id) is { } path
            ? TypedResults.PhysicalFile(path, JsonType, SessionCaptures.FileName(id))
            : TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No capture",
                detail: $"There is no capture of session '{id}': it is not live, was not captured on request, and no capture file was written for it.");
    }

    private static ProblemHttpResult NoLiveSession(string id) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such session",
            detail: $"There is no live session '{id}'.");
}
