using Receiver.Tests;
using Receiver.Web.Tests.Browser;
using Xunit.Sdk;

namespace Receiver.Web.Tests.WebRtc;

/// <summary>
/// A browser test that runs Janus, the receiver, the sender simulator and Chromium inside a private network namespace
/// (root, <c>ip netns</c>, curl); skipped with the missing piece named.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
[TraitDiscoverer("Receiver.Tests.LaneDiscoverer", "Receiver.Web.Tests")]
public sealed class JanusNamespaceFactAttribute : FactAttribute, ITraitAttribute, ITestLane
{
    public string Lane => TestLanes.Browser;

    public JanusNamespaceFactAttribute()
    {
        Skip = ChromiumFixture.MissingChromium ?? JanusProcess.Missing ?? NetworkNamespaceSupport.FindMissing("ip", "flock", "curl");
    }
}
