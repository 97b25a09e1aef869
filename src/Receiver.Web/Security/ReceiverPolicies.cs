namespace Receiver.Web.Security;

/// <summary>
/// The names of the receiver's authentication schemes, roles, claims and authorization policies. Every endpoint
/// declares one of <see cref="Admin"/>, <see cref="Viewer"/>, <see cref="Screen"/> or anonymous access
/// (<c>EndpointPolicyTests</c> fails on an endpoint that declares none).
/// </summary>
public static class ReceiverPolicies
{
    /// <summary>The default scheme: API key, admin token, sign-in cookie, viewing token or trusted loopback.</summary>
    public const string Scheme = "Receiver";

    /// <summary>The sign-in cookie (set by <c>POST /auth/sign-in</c>), read through <see cref="Scheme"/>.</summary>
    public const string CookieScheme = "ReceiverCookie";

    /// <summary>The dashboard's data, <c>/api</c>, the hub, recordings, snapshots, <c>/metrics</c>, <c>/openapi</c>, <c>/scalar</c>.</summary>
    public const string Admin = "admin";

    /// <summary>One session's media stream: an admin, anyone (<c>open</c>) or a viewing link for it (<c>link</c>).</summary>
    public const string Viewer = "viewer";

    /// <summary>The receiver's own screen (the PIN overlay feed): an admin or a receiver-wide viewing link.</summary>
    public const string Screen = "screen";

    /// <summary>The role of a principal that signed in as admin (or came over trusted loopback).</summary>
    public const string AdminRole = "admin";

    /// <summary>The role of a principal holding a viewing link.</summary>
    public const string ViewerRole = "viewer";

    /// <summary>The session a viewing link is for, or <see cref="AnySession"/> for a receiver-wide link.</summary>
    public const string ViewClaim = "receiver:view";

    /// <summary>The <see cref="ViewClaim"/> value of a receiver-wide link (for a room display).</summary>
    public const string AnySession = "*";

    /// <summary>The header scripts send the API key or admin token in.</summary>
    public const string ApiKeyHeader = "X-Api-Key";
}
