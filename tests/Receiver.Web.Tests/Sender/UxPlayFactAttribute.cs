using Xunit.Sdk;

namespace Receiver.Web.Tests.Sender;

/// <summary>
/// A fact that runs UxPlay in a private network namespace: needs Linux, root, ip/unshare/ss, dbus-daemon, avahi-daemon,
/// uxplay and ffmpeg; skipped with the missing piece named otherwise.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
[TraitDiscoverer("Receiver.Tests.LaneDiscoverer", "Receiver.Web.Tests")]
public sealed class UxPlayFactAttribute : FactAttribute, ITraitAttribute, ITestLane
{
    /// <summary>The lane of the tests this attribute marks.</summary>
    public string Lane => TestLanes.External;

    private static readonly Lazy<string?> Missing =
        new(() => NetworkNamespaceSupport.FindMissing("ip", "unshare", "ss", "dbus-daemon", "avahi-daemon", "uxplay", "ffmpeg", "ffprobe"));

    public UxPlayFactAttribute()
    {
        if (Missing.Value is { } reason)
        {
            Skip = reason;
        }
    }
}
