using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Receiver.Web.Access;
using Receiver.Web.Media;
using Receiver.Web.Security;
using Receiver.Web.Tests.Infrastructure;

namespace Receiver.Web.Tests.Security;

/// <summary>
/// Every endpoint the app maps declares who may use it, and the declared policy lets exactly the right roles in. A new
/// endpoint that declares nothing, or that is not in <see cref="Expected"/>, fails here.
/// </summary>
public sealed class EndpointPolicyTests
{
    private enum Who
    {
        Anyone,
        Viewer,
        Screen,
        Admin,
    }

    [Fact]
    public async Task EveryEndpoint_DeclaresItsPolicy_AndLetsInTheRightRoles()
    {
        await using var host = await ReceiverHost.StartAsync();
        var endpoints = Endpoints(host.App);
        Assert.True(endpoints.Count > 30, $"only {endpoints.Count} endpoints found");
        var failures = new List<string>();
        foreach (var endpoint in endpoints)
        {
            var pattern = endpoint.RoutePattern.RawText ?? "?";
            var declared = Declared(endpoint);
            var expected = Expected(pattern);
            if (declared is null)
            {
                failures.Add($"{pattern}: declares no policy (RequireAuthorization(ReceiverPolicies.…) or AllowAnonymous())");
                continue;
            }

            if (expected is null)
            {
                failures.Add($"{pattern}: not in EndpointPolicyTests.Expected; add it with the role it is for");
                continue;
            }

            if (declared != expected)
            {
                failures.Add($"{pattern}: declares {declared}, expected {expected}");
                continue;
            }

            foreach (var (role, user) in Principals())
            {
                var allowed = await AllowsAsync(host.App, endpoint, user);
                var shouldAllow = expected switch
                {
                    Who.Anyone => true,
                    Who.Viewer => role is "admin" or "viewer of s1" or "room display",
                    Who.Screen => role is "admin" or "room display",
                    _ => role == "admin",
                };
                if (allowed != shouldAllow)
                {
                    failures.Add($"{pattern}: {role} is {(allowed ? "allowed" : "refused")}");
                }
            }
        }

        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }

    [Fact]
    public async Task Metrics_AreAdminOnly_UnlessPublicMetrics()
    {
        await using var closed = await ReceiverHost.StartAsync();
        await using var open = await ReceiverHost.StartAsync("--Receiver:Admin:PublicMetrics=true");

        Assert.Equal(Who.Admin, Declared(Endpoints(closed.App).Single(e => e.RoutePattern.RawText == "/metrics")));
        Assert.Equal(Who.Anyone, Declared(Endpoints(open.App).Single(e => e.RoutePattern.RawText == "/metrics")));
    }

    private static List<RouteEndpoint> Endpoints(WebApplication app) =>
        app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().ToList();

    private static Who? Declared(Endpoint endpoint)
    {
        if (endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null)
        {
            return Who.Anyone;
        }

        var policies = endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>().Select(a => a.Policy).Distinct().ToArray();
        return policies switch
        {
            [ReceiverPolicies.Admin] => Who.Admin,
            [ReceiverPolicies.Viewer] => Who.Viewer,
            [ReceiverPolicies.Screen] => Who.Screen,
            _ => null,
        };
    }

    /// <summary>Who each route is for. Anything not listed fails the test: decide, then add it here.</summary>
    private static Who? Expected(string pattern) => pattern switch
    {
        "/healthz" or "/readyz" or "/view" or "/view/{id}" or "/viewer-info" => Who.Anyone,
        _ when pattern.StartsWith("/auth/", StringComparison.Ordinal) => Who.Anyone,
        MediaEndpoints.MediaRoute => Who.Viewer,
        "/cast/{id}/hls/{name}" or "/cast/{id}/hls/direct/{name}" or "/cast/{id}/seg/{index:int}" => Who.Viewer,
        // WebRTC signalling: the same viewers as the media WebSocket (a viewing link for one session opens only its own).
        Receiver.Web.WebRtc.WebRtcEndpoints.Route => Who.Viewer,
        AccessApi.PinFeedPath => Who.Screen,
        "/metrics" => Who.Admin,
        // The API reference's own scripts and icon are static assets (Scalar maps them anonymous); its page is admin.
        _ when pattern.StartsWith("/scalar/", StringComparison.Ordinal) && Path.HasExtension(pattern) && !pattern.Contains('{', StringComparison.Ordinal) => Who.Anyone,
        _ when pattern.StartsWith("/api/", StringComparison.Ordinal) || pattern.StartsWith("/hubs/sessions", StringComparison.Ordinal)
            || pattern.StartsWith("/openapi/", StringComparison.Ordinal) || pattern.StartsWith("/scalar", StringComparison.Ordinal) => Who.Admin,
        _ => null,
    };

    private static IEnumerable<(string Role, ClaimsPrincipal User)> Principals()
    {
        yield return ("anonymous", new ClaimsPrincipal(new ClaimsIdentity()));
        yield return ("admin", User(new Claim(ClaimTypes.Role, ReceiverPolicies.AdminRole)));
        yield return ("viewer of s1", User(new Claim(ClaimTypes.Role, ReceiverPolicies.ViewerRole), new Claim(ReceiverPolicies.ViewClaim, "s1")));
        yield return ("viewer of s2", User(new Claim(ClaimTypes.Role, ReceiverPolicies.ViewerRole), new Claim(ReceiverPolicies.ViewClaim, "s2")));
        yield return ("room display", User(new Claim(ClaimTypes.Role, ReceiverPolicies.ViewerRole), new Claim(ReceiverPolicies.ViewClaim, ReceiverPolicies.AnySession)));
    }

    private static ClaimsPrincipal User(params Claim[] claims) => new(new ClaimsIdentity(claims, "test"));

    /// <summary>Evaluates the endpoint's combined policy as the authorization middleware does, for a request to session <c>s1</c>.</summary>
    private static async Task<bool> AllowsAsync(WebApplication app, Endpoint endpoint, ClaimsPrincipal user)
    {
        if (endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null)
        {
            return true;
        }

        var provider = app.Services.GetRequiredService<IAuthorizationPolicyProvider>();
        var policy = await AuthorizationPolicy.CombineAsync(provider, endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>(), endpoint.Metadata.GetOrderedMetadata<AuthorizationPolicy>());
        Assert.NotNull(policy);
        var context = new DefaultHttpContext { RequestServices = app.Services, User = user };
        context.Request.RouteValues["id"] = "s1";
        var result = await app.Services.GetRequiredService<IAuthorizationService>().AuthorizeAsync(user, context, policy);
        return result.Succeeded;
    }
}
