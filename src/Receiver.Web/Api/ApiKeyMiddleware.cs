using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Receiver.Web.Hubs;
using Receiver.Web.Options;

namespace Receiver.Web.Api;

/// <summary>
/// When <c>Receiver:Admin:ApiKey</c> is set, admin calls (<c>/api/…</c>) and the sessions hub need the key:
/// in the <c>X-Api-Key</c> header, or for the hub (browsers cannot set WebSocket headers) as the
/// <c>api_key</c> or <c>access_token</c> query parameter or a bearer token. Otherwise: 401 problem details.
/// </summary>
public sealed class ApiKeyMiddleware(RequestDelegate next, IOptions<ReceiverOptions> options, IProblemDetailsService problems)
{
    public const string HeaderName = "X-Api-Key";

    private readonly byte[]? _key = string.IsNullOrEmpty(options.Value.Admin.ApiKey) ? null : Encoding.UTF8.GetBytes(options.Value.Admin.ApiKey);

    public async Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var path = context.Request.Path;
        // Browsers cannot set headers on WebSockets or EventSource: the hub and the PIN feed also take the key in the query.
        var isHub = path.StartsWithSegments(SessionsHub.Path, StringComparison.OrdinalIgnoreCase)
            || path.Equals(Receiver.Web.Access.AccessApi.PinFeedPath, StringComparison.OrdinalIgnoreCase);
        if (_key is null || !(isHub || path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase)) || Authorized(context.Request, isHub))
        {
            await next(context);
            return;
        }

        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails =
            {
                Status = StatusCodes.Status401Unauthorized,
                Title = "API key required",
                Detail = $"Send the receiver's admin API key in the {HeaderName} header.",
            },
        });
    }

    private bool Authorized(HttpRequest request, bool isHub)
    {
        if (Matches(request.Headers[HeaderName]))
        {
            return true;
        }

        if (!isHub)
        {
            return false;
        }

        var authorization = request.Headers.Authorization.ToString();
        return Matches(request.Query["api_key"])
            || Matches(request.Query["access_token"])
            || (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) && Matches(authorization["Bearer ".Length..]));
    }

    private bool Matches(string? candidate) =>
        !string.IsNullOrEmpty(candidate) && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(candidate), _key);
}
