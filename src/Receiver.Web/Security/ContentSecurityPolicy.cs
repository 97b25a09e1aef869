using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Receiver.Web.Security;

/// <summary>
/// The Content-Security-Policy every HTML response of the receiver's own pages carries: scripts, styles and
/// connections from the receiver only, no inline script, style or handler. The one inline block the pages have is
/// the dashboard's import map (browsers cannot load one from a file); it is allowed by its SHA-256, computed from
/// the pages at start-up. The third-party API reference under <c>/scalar</c> is left without it (it is built on
/// inline script) and is admin-only. The viewer page of an HLS cast whose segments may come straight from their
/// origin adds exactly those origins to <c>connect-src</c>, for that page's response only.
/// </summary>
public static partial class ContentSecurityPolicy
{
    public const string HeaderName = "Content-Security-Policy";

    /// <summary>The policy for pages whose inline import maps hash to <paramref name="scriptHashes"/>.</summary>
    public static string Build(IEnumerable<string> scriptHashes) => Build(scriptHashes, []);

    /// <summary>The policy with <paramref name="connectSources"/> (origins such as <c>https://cdn.example</c>) added to <c>connect-src</c>.</summary>
    public static string Build(IEnumerable<string> scriptHashes, IEnumerable<string> connectSources) =>
        "default-src 'self'; script-src 'self'" + string.Concat(scriptHashes.Select(h => $" 'sha256-{h}'"))
        + "; style-src 'self'; img-src 'self' data: blob:; media-src 'self' blob: http: https:; connect-src 'self'"
        + string.Concat(connectSources.Order(StringComparer.Ordinal).Select(s => $" {s}"))
        + "; worker-src 'self' blob:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

    /// <summary>The SHA-256 (base64) of every inline import map in the web root's HTML files.</summary>
    public static IReadOnlyList<string> ImportMapHashes(string? webRoot)
    {
        if (webRoot is null || !Directory.Exists(webRoot))
        {
            return [];
        }

        return Directory.EnumerateFiles(webRoot, "*.html")
            .SelectMany(file => ImportMap().Matches(File.ReadAllText(file)))
            .Select(m => Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(m.Groups[1].Value))))
            .Distinct()
            .ToArray();
    }

    /// <summary>
    /// Adds the header to every <c>text/html</c> response outside <c>/scalar</c>; <paramref name="connectSources"/> may
    /// name further <c>connect-src</c> origins for one request (null: none).
    /// </summary>
    public static IApplicationBuilder UseContentSecurityPolicy(this IApplicationBuilder app, IReadOnlyList<string> scriptHashes, Func<HttpContext, Task<IReadOnlyCollection<string>?>> connectSources)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(connectSources);
        var policy = Build(scriptHashes);
        return app.Use(async (context, next) =>
        {
            if (!context.Request.Path.StartsWithSegments("/scalar", StringComparison.OrdinalIgnoreCase))
            {
                var sources = await connectSources(context);
                var header = sources is { Count: > 0 } ? Build(scriptHashes, sources) : policy;
                context.Response.OnStarting(() =>
                {
                    if (context.Response.ContentType?.StartsWith("text/html", StringComparison.OrdinalIgnoreCase) == true)
                    {
                        context.Response.Headers[HeaderName] = header;
                    }

                    return Task.CompletedTask;
                });
            }

            await next(context);
        });
    }

    [GeneratedRegex("<script type=\"importmap\">(.*?)</script>", RegexOptions.Singleline)]
    private static partial Regex ImportMap();
}
