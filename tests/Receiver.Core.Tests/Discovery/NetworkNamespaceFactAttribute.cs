namespace Receiver.Core.Tests.Discovery;

/// <summary>
/// A fact that needs root, <c>ip netns</c>, <c>unshare</c>, <c>dbus-daemon</c> and avahi; it is skipped with the
/// missing piece named otherwise.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class NetworkNamespaceFactAttribute : FactAttribute
{
    private static readonly Lazy<string?> Missing =
        new(() => NetworkNamespaceSupport.FindMissing("ip", "unshare", "stdbuf", "dbus-daemon", "avahi-daemon", "avahi-browse", "avahi-publish", "avahi-resolve-host-name"));

    public NetworkNamespaceFactAttribute()
    {
        if (Missing.Value is { } reason)
        {
            Skip = reason;
        }
    }
}
