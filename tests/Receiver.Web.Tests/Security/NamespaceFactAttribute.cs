using Receiver.Tests;
using Xunit.Sdk;

namespace Receiver.Web.Tests.Security;

/// <summary>A fact that runs the receiver inside a private network namespace (root, <c>ip netns</c>, curl); skipped with the missing piece named otherwise.</summary>
[AttributeUsage(AttributeTargets.Method)]
[TraitDiscoverer("Receiver.Tests.LaneDiscoverer", "Receiver.Web.Tests")]
public sealed class NamespaceFactAttribute : FactAttribute, ITraitAttribute, ITestLane
{
    private static readonly Lazy<string?> Missing = new(() => NetworkNamespaceSupport.FindMissing("ip", "curl"));

    public NamespaceFactAttribute()
    {
        if (Missing.Value is { } reason)
        {
            Skip = reason;
        }
    }

    /// <summary>The lane of the tests this attribute marks.</summary>
    public string Lane => TestLanes.External;
}
