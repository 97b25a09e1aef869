using Microsoft.AspNetCore.Http.HttpResults;
using Receiver.Core.Sessions;
using Receiver.Web.Recording;
using Receiver.Web.Security;

namespace Receiver.Web.Api;

/// <summary>Recording under <c>/api</c>: start and stop a session's recording, list, download and delete the files.</summary>
public static class RecordingApi
{
    public static IEndpointRouteBuilder MapRecordingApi(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var api = endpoints.MapGroup("/api").WithTags("Recordings").RequireAuthorization(ReceiverPolicies.Admin).RequireSameOrigin();
        api.MapPost("/sessions/{id}/recording", StartRecording).WithName("StartRecording")
            .WithSummary("Starts recording a live session to MP4 (video and sound, from its current keyframe)")
            .WithDescription("409 when it is already recorded or Receiver:Recording:MaxConcurrent recordings run; 507 when the recordings volume is at its free-space floor (Receiver:Recording:MinFreeBytes).");
        api.MapGet("/sessions/{id}/recording", GetRecording).WithName("GetRecording")
            .WithSummary("The session's current or last recording");
        api.MapDelete("/sessions/{id}/recording", StopRecording).WithName("StopRecording")
            .WithSummary("Stops the session's recording and returns its files");
        api.MapGet("/recordings", ListRecordings).WithName("ListRecordings").WithSummary("The recorded MP4 files, newest first");
        api.MapGet("/recordings/{name}", DownloadRecording).WithName("DownloadRecording")
            .WithSummary("Downloads a recorded MP4 file (byte ranges supported, so players can seek)")
            .Produces(StatusCodes.Status200OK, contentType: "video/mp4");
        api.MapDelete("/recordings/{name}", DeleteRecording).WithName("DeleteRecording").WithSummary("Deletes a recorded file");
        return endpoints;
    }

    internal static Results<Created<RecordingInfo>, ProblemHttpResult> StartRecording(string id, SessionRegistry registry, RecordingService recordings)
    {
        if (!registry.TryGet(id, out var session))
        {
            return NoSession(id);
        }

        RecordingStartResult result;
        try
        {
            result = recordings.Start(session);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status500InternalServerError, title: "Recording could not start",
                detail: $"The recordings folder '{recordings.Directory}' cannot be written: {ex.Message}");
        }

        return result switch
        {
            { Info: { } info } => TypedResults.Created($"/api/sessions/{id}/recording", info),
            { Refusal: RecordingRefusal.SessionEnded } => NoSession(id),
            { Refusal: RecordingRefusal.InsufficientStorage } =>
                TypedResults.Problem(statusCode: StatusCodes.Status507InsufficientStorage, title: "Not enough free space", detail: result.Detail),
            { Refusal: RecordingRefusal.TooManyRecordings } =>
                TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Too many recordings", detail: result.Detail),
            _ => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Already recording", detail: result.Detail),
        };
    }

    internal static Results<Ok<RecordingInfo>, ProblemHttpResult> GetRecording(string id, RecordingService recordings) =>
        recordings.Get(id) is { } info
            ? TypedResults.Ok(info)
            : TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No recording", detail: $"Session '{id}' has not been recorded.");

    internal static async Task<Results<Ok<RecordingInfo>, ProblemHttpResult>> StopRecording(string id, RecordingService recordings) =>
        await recordings.StopAsync(id) is { } info
            ? TypedResults.Ok(info)
            : TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not recording", detail: $"Session '{id}' is not being recorded.");

    internal static Ok<IReadOnlyList<RecordingFile>> ListRecordings(RecordingService recordings) => TypedResults.Ok(recordings.ListFiles());

    internal static Results<PhysicalFileHttpResult, ProblemHttpResult> DownloadRecording(string name, RecordingService recordings) =>
        recordings.PathOf(name) is { } path
            ? TypedResults.PhysicalFile(path, "video/mp4", fileDownloadName: name, enableRangeProcessing: true)
            : NoFile(name);

    internal static Results<NoContent, ProblemHttpResult> DeleteRecording(string name, RecordingService recordings)
    {
        if (recordings.PathOf(name) is not { } path)
        {
            return NoFile(name);
        }

        if (recordings.IsWriting(name))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Still recording",
                detail: $"'{name}' is being written; stop the recording first.");
        }

        File.Delete(path);
        return TypedResults.NoContent();
    }

    private static ProblemHttpResult NoSession(string id) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such session", detail: $"There is no live session '{id}'.");

    private static ProblemHttpResult NoFile(string name) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such recording", detail: $"There is no recording named '{name}'.");
}
