using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.Options;
using Receiver.Web.Hosting;

namespace Receiver.Web.Security;

/// <summary>Registers and wires the receiver's authentication, authorization policies, Data Protection, rate limiting, origin check and CSP.</summary>
public static class SecurityExtensions
{
    public static IServiceCollection AddReceiverSecurity(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<ViewerAccessOptions>().Bind(configuration.GetSection(ViewerAccessOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<OriginOptions>().Bind(configuration.GetSection(OriginOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<OriginOptions>, OriginOptionsValidator>();
        services.AddSingleton<AdminCredentials>();
        services.AddSingleton<CredentialThrottle>();
        services.AddSingleton<ViewLinks>();
        services.AddHostedService<AdminTokenAnnouncer>();
        services.AddDataProtection().SetApplicationName("airplay-web-receiver");
        services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(sp => new ConfigureOptions<KeyManagementOptions>(keys =>
            keys.XmlRepository = new Microsoft.AspNetCore.DataProtection.Repositories.FileSystemXmlRepository(
                new DirectoryInfo(Path.Combine(sp.GetRequiredService<ReceiverRuntime>().DataDirectory, "keys")), sp.GetRequiredService<ILoggerFactory>())));

        services.AddAuthentication(ReceiverPolicies.Scheme)
            .AddScheme<AuthenticationSchemeOptions, ReceiverAuthenticationHandler>(ReceiverPolicies.Scheme, null)
            .AddCookie(ReceiverPolicies.CookieScheme, cookie =>
            {
                cookie.Cookie.Name = "airplay-receiver.auth";
                cookie.Cookie.HttpOnly = true;
                cookie.Cookie.SameSite = SameSiteMode.Strict;
                cookie.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                cookie.ExpireTimeSpan = TimeSpan.FromDays(7);
                cookie.SlidingExpiration = true;
                cookie.Events.OnRedirectToLogin = context => Status(context.Response, StatusCodes.Status401Unauthorized);
                cookie.Events.OnRedirectToAccessDenied = context => Status(context.Response, StatusCodes.Status403Forbidden);
            });
        services.AddSingleton<IAuthorizationHandler, ViewerAuthorizationHandler>();
        services.AddAuthorizationBuilder()
            .AddPolicy(ReceiverPolicies.Admin, policy => policy.RequireRole(ReceiverPolicies.AdminRole))
            .AddPolicy(ReceiverPolicies.Viewer, policy => policy.AddRequirements(new ViewerRequirement(screenOnly: false)))
            .AddPolicy(ReceiverPolicies.Screen, policy => policy.AddRequirements(new ViewerRequirement(screenOnly: true)))
            // An endpoint that declares nothing is admin-only (EndpointPolicyTests makes every endpoint declare).
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireRole(ReceiverPolicies.AdminRole).Build());
        services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.AddPolicy(SecurityApi.SignInRateLimit, context => RateLimitPartition.GetFixedWindowLimiter(
                context.Connection.RemoteIpAddress?.ToString() ?? string.Empty,
                _ => new FixedWindowRateLimiterOptions { PermitLimit = 20, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
        });
        return services;
    }

    /// <summary>Routing, the origin check, authentication, authorization and the rate limiter, in that order (after static files).</summary>
    public static WebApplication UseReceiverSecurity(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseRouting();
        app.UseMiddleware<OriginCheckMiddleware>();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();
        return app;
    }

    /// <summary>Marks endpoints that browsers may only open from the receiver's own pages (or an allowed origin).</summary>
    public static TBuilder RequireSameOrigin<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Add(endpoint => endpoint.Metadata.Add(SameOriginMetadata.Instance));
        return builder;
    }

    private static Task Status(HttpResponse response, int status)
    {
        response.StatusCode = status;
        return Task.CompletedTask;
    }
}
