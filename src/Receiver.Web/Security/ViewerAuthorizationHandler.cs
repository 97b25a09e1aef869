using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;

namespace Receiver.Web.Security;

/// <summary>
/// Decides <see cref="ViewerRequirement"/>: admins always; with <c>Receiver:Viewer:Access</c> = <c>open</c> anyone may
/// watch a session; with <c>link</c> a viewing link for that session or a receiver-wide one. The receiver's screen
/// (the PIN overlay) needs an admin or a receiver-wide link in every mode, so an open viewer cannot read the PIN a
/// sender is asked for.
/// </summary>
public sealed class ViewerAuthorizationHandler(IOptionsMonitor<ViewerAccessOptions> options) : AuthorizationHandler<ViewerRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, ViewerRequirement requirement)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(requirement);
        var access = options.CurrentValue.Access;
        var user = context.User;
        var view = user.FindFirst(ReceiverPolicies.ViewClaim)?.Value;
        bool allowed;
        if (user.IsInRole(ReceiverPolicies.AdminRole))
        {
            allowed = true;
        }
        else if (requirement.ScreenOnly)
        {
            allowed = access != ViewerAccess.Admin && view == ReceiverPolicies.AnySession;
        }
        else
        {
            var sessionId = (context.Resource as HttpContext)?.GetRouteValue("id") as string;
            allowed = access switch
            {
                ViewerAccess.Open => true,
                ViewerAccess.Link => view is not null && (view == ReceiverPolicies.AnySession || (sessionId is not null && view == sessionId)),
                _ => false,
            };
        }

        if (allowed)
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }
}
