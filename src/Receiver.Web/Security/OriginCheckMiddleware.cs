using Microsoft.Extensions.Options;

namespace Receiver.Web.Security;

/// <summary>
/// Refuses (403, before any WebSocket upgrade) a request to an endpoint with <see cref="SameOriginMetadata"/> whose
/// <c>Origin</c> is neither the receiver's own (the scheme-less host and port of the request's <c>Host</c>) nor in
/// <c>Receiver:Web:AllowedOrigins</c>: cross-site WebSocket hijacking. A request without <c>Origin</c> (not a
/// browser) passes.
/// </summary>
public sealed class OriginCheckMiddleware(RequestDelegate next, IOptionsMonitor<OriginOptions> options)
{
    public Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.GetEndpoint()?.Metadata.GetMetadata<SameOriginMetadata>() is null)
        {
            return next(context);
        }

        var origin = context.Request.Headers.Origin.ToString();
        if (origin.Length == 0 || IsAllowed(origin, context.Request, options.CurrentValue))
        {
            return next(context);
        }

        context.Response.StatusCode = StatusCodes.Status403Forbidden;
        return Task.CompletedTask;
    }

    internal static bool IsAllowed(string origin, HttpRequest request, OriginOptions options)
    {
        if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            return false;
        }

        if (request.Host.HasValue && string.Equals(uri.Authority, Authority(request), StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        return options.AllowedOrigins.Any(allowed =>
            Uri.TryCreate(allowed, UriKind.Absolute, out var a) && string.Equals(a.GetLeftPart(UriPartial.Authority), uri.GetLeftPart(UriPartial.Authority), StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>The request's host and port as <see cref="Uri.Authority"/> writes them (no port when it is the scheme's default).</summary>
    private static string Authority(HttpRequest request)
    {
        var host = request.Host;
        return Uri.TryCreate($"{request.Scheme}://{host.Value}", UriKind.Absolute, out var own) ? own.Authority : host.Value ?? string.Empty;
    }
}
