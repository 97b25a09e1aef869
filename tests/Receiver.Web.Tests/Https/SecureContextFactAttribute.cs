using Receiver.Web.Tests.Browser;
using Xunit.Sdk;

namespace Receiver.Web.Tests.Https;

/// <summary>
/// A browser test that needs Chromium, a private network namespace (root, <c>ip netns</c>) and NSS's
/// <c>certutil</c> (libnss3-tools) to trust a certificate in a browser profile; skipped with the missing piece named.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
[TraitDiscoverer("Receiver.Tests.LaneDiscoverer", "Receiver.Web.Tests")]
public sealed class SecureContextFactAttribute : FactAttribute, ITraitAttribute, ITestLane
{
    public string Lane => TestLanes.Browser;

    public SecureContextFactAttribute()
    {
        Skip = ChromiumFixture.MissingChromium ?? NetworkNamespaceSupport.FindMissing("ip", "flock", "certutil");
    }
}
