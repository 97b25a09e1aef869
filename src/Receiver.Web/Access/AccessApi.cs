using Microsoft.AspNetCore.Http.HttpResults;
using Receiver.Core.Access;
using Receiver.Web.Security;

namespace Receiver.Web.Access;

/// <summary>
/// Who may mirror, for the operator (<c>/api</c>, admin like the rest): the trusted senders, the PIN shown now, the
/// senders waiting for approval; and the PIN feed for screens (admin or a receiver-wide viewing link).
/// </summary>
public static class AccessApi
{
    /// <summary>The PIN overlay as server-sent events, for viewer pages (an admin key may come as <c>api_key</c> in the query, a viewing link as <c>token</c>).</summary>
    public const string PinFeedPath = "/api/access/pin/events";

    public static IEndpointRouteBuilder MapAccessApi(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var api = endpoints.MapGroup("/api").WithTags("Access").RequireAuthorization(ReceiverPolicies.Admin).RequireSameOrigin();
        api.MapGet("/senders", ListSenders).WithName("ListSenders").WithSummary("The trusted senders, first trusted first");
        api.MapDelete("/senders/{deviceId}", RevokeSender).WithName("RevokeSender")
            .WithSummary("Forgets a trusted sender: it has to prove itself again (PIN, password or approval)");
        api.MapGet("/senders/pending", ListPending).WithName("ListPendingSenders").WithSummary("Senders waiting for approval, oldest first");
        api.MapPost("/senders/pending/{requestId}/allow", AllowPending).WithName("AllowPendingSender").WithSummary("Lets a waiting sender mirror");
        api.MapPost("/senders/pending/{requestId}/deny", DenyPending).WithName("DenyPendingSender").WithSummary("Refuses a waiting sender");
        api.MapGet("/access/pin", GetPin).WithName("GetPin").WithSummary("The PIN a pairing sender must enter, while one is shown");
        // The receiver's screen: an admin or a receiver-wide viewing link (a room display), not the admin group.
        endpoints.MapGet(PinFeedPath, ListenPin).WithTags("Access").WithName("ListenPin").RequireAuthorization(ReceiverPolicies.Screen).RequireSameOrigin()
            .WithSummary("The PIN overlay as server-sent events: 'pin' (pin, deviceName, expiresAt) and 'cleared'; the current state first")
            .Produces(StatusCodes.Status200OK, contentType: "text/event-stream");
        return endpoints;
    }

    internal static Ok<TrustedSenderInfo[]> ListSenders(SenderRegister register) =>
        TypedResults.Ok(register.All.Select(AccessViews.Sender).ToArray());

    internal static Results<NoContent, ProblemHttpResult> RevokeSender(string deviceId, SenderRegister register) =>
        register.Revoke(deviceId)
            ? TypedResults.NoContent()
            : TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such sender", detail: $"'{deviceId}' is not a trusted sender.");

    internal static Ok<PendingSenderInfo[]> ListPending(ApprovalQueue approvals) =>
        TypedResults.Ok(approvals.Pending.Select(AccessViews.Pending).ToArray());

    internal static Results<NoContent, ProblemHttpResult> AllowPending(string requestId, ApprovalQueue approvals) =>
        approvals.Allow(requestId) ? TypedResults.NoContent() : NoRequest(requestId);

    internal static Results<NoContent, ProblemHttpResult> DenyPending(string requestId, ApprovalQueue approvals) =>
        approvals.Deny(requestId) ? TypedResults.NoContent() : NoRequest(requestId);

    internal static Results<Ok<PinOverlayMessage>, ProblemHttpResult> GetPin(PinBoard pins, HttpContext context)
    {
        context.Response.Headers.CacheControl = "no-store";
        return pins.Current is { } current
            ? TypedResults.Ok(PinOverlayFeed.ToMessage(current))
            : TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No PIN", detail: "No sender is pairing now.");
    }

    internal static IResult ListenPin(PinOverlayFeed feed, IHostApplicationLifetime lifetime, HttpContext context)
    {
        // The stream ends with the request or when the receiver stops (so that shutdown does not wait for it).
        var stop = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, lifetime.ApplicationStopping);
        context.Response.RegisterForDispose(stop);
        context.Response.Headers.CacheControl = "no-store";
        var events = feed.TryListen(stop.Token);
        return events is null
            ? TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Too many listeners",
                detail: $"At most {PinOverlayFeed.MaxListeners} screens may follow the PIN at once.")
            : TypedResults.ServerSentEvents(events);
    }

    private static ProblemHttpResult NoRequest(string requestId) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such request", detail: $"No sender waits under request '{requestId}'.");
}
