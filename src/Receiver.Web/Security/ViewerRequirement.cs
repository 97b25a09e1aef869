using Microsoft.AspNetCore.Authorization;

namespace Receiver.Web.Security;

/// <summary>
/// Watching: the session named by the route's <c>id</c> (<see cref="ReceiverPolicies.Viewer"/>) or the receiver's
/// screen as a whole (<see cref="ReceiverPolicies.Screen"/>, <see cref="ScreenOnly"/>).
/// </summary>
public sealed class ViewerRequirement(bool screenOnly) : IAuthorizationRequirement
{
    public bool ScreenOnly { get; } = screenOnly;
}
