namespace Receiver.Web.Hosting.Https;

/// <summary>
/// <c>GET /viewer-info</c>, open to anyone: what a viewer page opened over plain HTTP needs to offer the same page
/// over HTTPS. It reveals nothing else (no sessions, names or settings).
/// </summary>
/// <param name="HttpsPort">The bound HTTPS port, or null when HTTPS is off.</param>
/// <param name="Fingerprint">The certificate's SHA-256 fingerprint, or null when HTTPS is off.</param>
public sealed record ViewerInfo(int? HttpsPort, string? Fingerprint)
{
    public const string Path = "/viewer-info";

    /// <summary>Maps <see cref="Path"/> (anonymous, not cached).</summary>
    public static IEndpointRouteBuilder Map(IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapGet(Path, (HttpsCertificate certificate, ReceiverEndpoints bound, HttpContext context) =>
            {
                context.Response.Headers.CacheControl = "no-store";
                var https = HttpsInfo.From(certificate, bound, context.Request.Host.Host);
                return TypedResults.Ok(new ViewerInfo(https?.Port, https?.Fingerprint));
            })
            .AllowAnonymous()
            .WithTags("Viewer")
            .WithName("GetViewerInfo")
            .WithSummary("The HTTPS port and certificate fingerprint, for a viewer page opened over plain HTTP");
        return endpoints;
    }
}
