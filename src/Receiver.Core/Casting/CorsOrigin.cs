namespace Receiver.Core.Casting;

/// <summary>
/// Web origins as a cast's direct segment fetches need them (pure): the origin of a segment address, written so it can
/// stand in a Content-Security-Policy source list; whether a page of one origin may fetch from another (no http
/// fetches from an https page); and whether a server's <c>Access-Control-Allow-Origin</c> answer lets a page read it.
/// </summary>
public static class CorsOrigin
{
    /// <summary>Longest origin taken (a page's origin comes from its request's <c>Host</c>).</summary>
    public const int MaxLength = 300;

    /// <summary>
    /// The origin of <paramref name="url"/> (<c>https://host</c>, <c>http://host:8080</c>; the default port left out),
    /// or null when it cannot be a policy source: another scheme than http(s), an IPv6 literal, or a host with other
    /// characters than letters, digits, dots and hyphens.
    /// </summary>
    public static string? Of(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (!url.IsAbsoluteUri || url.Scheme is not ("http" or "https") || url.HostNameType == UriHostNameType.IPv6)
        {
            return null;
        }

        var host = url.IdnHost.ToLowerInvariant();
        if (host.Length == 0 || !host.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '.' or '-'))
        {
            return null;
        }

        var origin = url.IsDefaultPort ? $"{url.Scheme}://{host}" : $"{url.Scheme}://{host}:{url.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)}";
        return origin.Length <= MaxLength ? origin : null;
    }

    /// <summary>The page origin of a request's scheme and <c>Host</c>, or null when it is not a plain http(s) origin.</summary>
    public static string? OfPage(string scheme, string host)
    {
        ArgumentNullException.ThrowIfNull(scheme);
        ArgumentNullException.ThrowIfNull(host);
        return Uri.TryCreate($"{scheme}://{host}/", UriKind.Absolute, out var url) && url.PathAndQuery == "/" && string.IsNullOrEmpty(url.UserInfo) ? Of(url) : null;
    }

    /// <summary>True when a page of <paramref name="pageOrigin"/> may fetch from <paramref name="segmentOrigin"/> at all: an https page fetches https only.</summary>
    public static bool MayFetch(string pageOrigin, string segmentOrigin)
    {
        ArgumentNullException.ThrowIfNull(pageOrigin);
        ArgumentNullException.ThrowIfNull(segmentOrigin);
        return !pageOrigin.StartsWith("https:", StringComparison.Ordinal) || segmentOrigin.StartsWith("https:", StringComparison.Ordinal);
    }

    /// <summary>
    /// True when a response with <c>Access-Control-Allow-Origin: <paramref name="allowOrigin"/></c> may be read by a page
    /// of <paramref name="pageOrigin"/> fetching without credentials: the value is <c>*</c> or that very origin.
    /// </summary>
    public static bool Allows(string? allowOrigin, string pageOrigin)
    {
        ArgumentNullException.ThrowIfNull(pageOrigin);
        var value = allowOrigin?.Trim();
        return value is not null && (value == "*" || string.Equals(value, pageOrigin, StringComparison.Ordinal));
    }
}
