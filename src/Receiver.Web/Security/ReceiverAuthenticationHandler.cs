using System.Net;
using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Receiver.Web.Options;

namespace Receiver.Web.Security;

/// <summary>
/// The receiver's one authentication scheme. In order: an admin key (<c>X-Api-Key</c>, or where browsers cannot set
/// headers — the hub, the PIN feed — a bearer token or the <c>access_token</c>/<c>api_key</c> query parameter), the
/// sign-in cookie, a viewing token (<c>?token=</c>), and finally the loopback interface when it is trusted. A wrong
/// key or token fails the request (401) and counts against the address in <see cref="CredentialThrottle"/>; an
/// address over its limit gets 429.
/// </summary>
public sealed class ReceiverAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> schemeOptions,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    AdminCredentials credentials,
    ViewLinks links,
    CredentialThrottle throttle,
    IOptions<ReceiverOptions> receiver,
    IProblemDetailsService problems)
    : AuthenticationHandler<AuthenticationSchemeOptions>(schemeOptions, loggerFactory, encoder)
{
    private const string ThrottledItem = "Receiver.Security.Throttled";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var address = Context.Connection.RemoteIpAddress;
        var key = AdminKeyOf(Request);
        var viewToken = Request.Query["token"].ToString();
        if ((key is not null || viewToken.Length > 0) && throttle.IsBlocked(address))
        {
            Context.Items[ThrottledItem] = true;
            return AuthenticateResult.Fail("Too many failed sign-ins from this address.");
        }

        if (key is not null)
        {
            if (credentials.IsAdminKey(key))
            {
                return Success(Admin("key"));
            }

            throttle.Failed(address);
            return AuthenticateResult.Fail("Wrong admin key.");
        }

        var cookie = await Context.AuthenticateAsync(ReceiverPolicies.CookieScheme);
        if (cookie.Succeeded && cookie.Principal.IsInRole(ReceiverPolicies.AdminRole))
        {
            return Success(cookie.Principal);
        }

        if (viewToken.Length > 0)
        {
            if (links.Read(viewToken) is { } grant)
            {
                return Success(Viewer(grant));
            }

            throttle.Failed(address);
            return AuthenticateResult.Fail("Invalid, expired or revoked viewing token.");
        }

        return receiver.Value.Admin.TrustLoopback && address is not null && IPAddress.IsLoopback(address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address)
            ? Success(Admin("loopback"))
            : AuthenticateResult.NoResult();
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        if (Context.Items.ContainsKey(ThrottledItem))
        {
            Response.StatusCode = StatusCodes.Status429TooManyRequests;
            Response.Headers.RetryAfter = ((int)CredentialThrottle.Window.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
            await WriteProblemAsync("Too many failed sign-ins", "Wait a minute before trying again.");
            return;
        }

        Response.StatusCode = StatusCodes.Status401Unauthorized;
        await WriteProblemAsync("Sign-in required",
            $"Sign in on the dashboard, send the admin key in the {ReceiverPolicies.ApiKeyHeader} header, or open a viewing link.");
    }

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        await WriteProblemAsync("Not allowed", "These credentials do not give access to this resource.");
    }

    /// <summary>An admin principal (for the sign-in cookie as well).</summary>
    internal static ClaimsPrincipal Admin(string how) => new(new ClaimsIdentity(
        [new Claim(ClaimTypes.Name, "admin"), new Claim(ClaimTypes.Role, ReceiverPolicies.AdminRole), new Claim(ClaimTypes.AuthenticationMethod, how)],
        ReceiverPolicies.Scheme, ClaimTypes.Name, ClaimTypes.Role));

    private static ClaimsPrincipal Viewer(ViewGrant grant) => new(new ClaimsIdentity(
        [new Claim(ClaimTypes.Name, "viewer"), new Claim(ClaimTypes.Role, ReceiverPolicies.ViewerRole), new Claim(ReceiverPolicies.ViewClaim, grant.SessionId)],
        ReceiverPolicies.Scheme, ClaimTypes.Name, ClaimTypes.Role));

    private AuthenticateResult Success(ClaimsPrincipal principal) => AuthenticateResult.Success(new AuthenticationTicket(principal, Scheme.Name));

    /// <summary>The admin key a request carries: the header everywhere, the query forms and bearer token only where browsers need them.</summary>
    private static string? AdminKeyOf(HttpRequest request)
    {
        var header = request.Headers[ReceiverPolicies.ApiKeyHeader].ToString();
        if (header.Length > 0)
        {
            return header;
        }

        var path = request.Path;
        if (!path.StartsWithSegments(Hubs.SessionsHub.Path, StringComparison.OrdinalIgnoreCase)
            && !path.Equals(Access.AccessApi.PinFeedPath, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var authorization = request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return authorization["Bearer ".Length..].Trim();
        }

        var query = request.Query["access_token"].ToString();
        if (query.Length == 0)
        {
            query = request.Query["api_key"].ToString();
        }

        return query.Length > 0 ? query : null;
    }

    /// <summary>
    /// Problem details where the request accepts JSON; plain text where it asks only for something else
    /// (a video element's range request, an image), so a refusal never turns into a server error.
    /// </summary>
    private async Task WriteProblemAsync(string title, string detail)
    {
        var written = await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails = { Status = Response.StatusCode, Title = title, Detail = detail },
        });
        if (!written && !Response.HasStarted)
        {
            Response.ContentType = "text/plain; charset=utf-8";
            await Response.WriteAsync($"{title}: {detail}\n", Context.RequestAborted);
        }
    }
}
