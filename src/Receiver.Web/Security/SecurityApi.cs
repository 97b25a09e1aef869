using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using QRCoder;
using Receiver.Core.Sessions;

namespace Receiver.Web.Security;

/// <summary>
/// Signing in and out (<c>/auth</c>, anonymous, rate-limited) and the admin's security calls under <c>/api</c>:
/// viewing links, their revocation, rotating the generated admin token, and QR codes for links.
/// </summary>
public static class SecurityApi
{
    public const string SignInPath = "/auth/sign-in";
    public const string SignInRateLimit = "sign-in";

    public static IEndpointRouteBuilder MapSecurityApi(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        // Same-origin as well: with the SameSite=Strict cookie this keeps other sites' pages (cross-site request forgery) out.
        var auth = endpoints.MapGroup("/auth").WithTags("Sign-in").AllowAnonymous().RequireSameOrigin();
        auth.MapPost("/sign-in", SignInAsync).WithName("SignIn").RequireRateLimiting(SignInRateLimit)
            .WithSummary("Signs the admin in with the password, API key or generated token; sets the sign-in cookie");
        auth.MapPost("/sign-out", (Delegate)SignOutAsync).WithName("SignOut").WithSummary("Removes the sign-in cookie");

        var api = endpoints.MapGroup("/api").WithTags("Security").RequireAuthorization(ReceiverPolicies.Admin).RequireSameOrigin();
        api.MapPost("/sessions/{id}/view-links", CreateSessionLink).WithName("CreateSessionViewLink")
            .WithSummary("A signed, expiring link to watch one session (body { expiresInMinutes } optional)");
        api.MapPost("/view-links", CreateReceiverLink).WithName("CreateReceiverViewLink")
            .WithSummary("A signed, expiring link that shows whatever is mirrored (a room display); it also shows the PIN overlay");
        api.MapDelete("/view-links", RevokeLinks).WithName("RevokeViewLinks").WithSummary("Revokes every viewing link made so far");
        api.MapPost("/admin-token", RotateToken).WithName("RotateAdminToken")
            .WithSummary("Makes a new generated admin token (when no API key or password is configured); the old one stops working");
        api.MapGet("/qr.svg", GetQrCode).WithName("GetQrCode").WithSummary("A QR code (SVG) of a text, such as a viewing link")
            .Produces(StatusCodes.Status200OK, contentType: "image/svg+xml");
        return endpoints;
    }

    internal static async Task<Results<NoContent, ProblemHttpResult>> SignInAsync(SignInRequest? request, AdminCredentials credentials, CredentialThrottle throttle, HttpContext context)
    {
        var address = context.Connection.RemoteIpAddress;
        if (throttle.IsBlocked(address))
        {
            context.Response.Headers.RetryAfter = "60";
            return TypedResults.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Too many failed sign-ins", detail: "Wait a minute before trying again.");
        }

        if (!credentials.IsSignInSecret(request?.Secret))
        {
            throttle.Failed(address);
            return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Wrong password or key");
        }

        await context.SignInAsync(ReceiverPolicies.CookieScheme, ReceiverAuthenticationHandler.Admin("cookie"));
        return TypedResults.NoContent();
    }

    internal static async Task<NoContent> SignOutAsync(HttpContext context)
    {
        await context.SignOutAsync(ReceiverPolicies.CookieScheme);
        return TypedResults.NoContent();
    }

    internal static Results<Created<ViewLink>, ProblemHttpResult> CreateSessionLink(
        string id, ViewLinkRequest? request, SessionRegistry registry, ViewLinks links, IOptions<ViewerAccessOptions> options, HttpContext context)
    {
        if (!registry.TryGet(id, out _))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such session", detail: $"There is no live session '{id}'.");
        }

        return Create(id, $"/view/{Uri.EscapeDataString(id)}", request, links, options.Value, context);
    }

    internal static Results<Created<ViewLink>, ProblemHttpResult> CreateReceiverLink(
        ViewLinkRequest? request, ViewLinks links, IOptions<ViewerAccessOptions> options, HttpContext context) =>
        Create(ReceiverPolicies.AnySession, "/view/", request, links, options.Value, context);

    internal static NoContent RevokeLinks(ViewLinks links)
    {
        links.RevokeAll();
        return TypedResults.NoContent();
    }

    internal static Results<Created<AdminTokenInfo>, ProblemHttpResult> RotateToken(AdminCredentials credentials, HttpContext context)
    {
        if (!credentials.UsesGeneratedToken)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "No generated token",
                detail: "The receiver signs its admin in with the configured API key or password; change those instead.");
        }

        var token = credentials.EnsureToken(rotate: true)!;
        var url = $"{context.Request.Scheme}://{context.Request.Host}/?token={token}";
        return TypedResults.Created("/", new AdminTokenInfo(token, url));
    }

    internal static Results<ContentHttpResult, ProblemHttpResult> GetQrCode(string? text, HttpContext context)
    {
        if (string.IsNullOrEmpty(text) || text.Length > 2048)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Bad text", detail: "Pass 1 to 2048 characters as ?text=.");
        }

        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(text, QRCodeGenerator.ECCLevel.M);
        var svg = new SvgQRCode(data).GetGraphic(4);
        context.Response.Headers.CacheControl = "no-store";
        return TypedResults.Content(svg, "image/svg+xml");
    }

    private static Results<Created<ViewLink>, ProblemHttpResult> Create(
        string sessionId, string page, ViewLinkRequest? request, ViewLinks links, ViewerAccessOptions options, HttpContext context)
    {
        var minutes = request?.ExpiresInMinutes ?? options.LinkMinutes;
        if (minutes is < 1 or > ViewLinks.MaxMinutes)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Bad expiry",
                detail: $"expiresInMinutes must be between 1 and {ViewLinks.MaxMinutes}.");
        }

        var (token, expiresAt) = links.Create(sessionId, TimeSpan.FromMinutes(minutes));
        var url = $"{context.Request.Scheme}://{context.Request.Host}{page}?token={token}";
        return TypedResults.Created(url, new ViewLink(url, token, expiresAt));
    }
}
