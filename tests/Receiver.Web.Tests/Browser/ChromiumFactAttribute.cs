using Xunit.Sdk;

namespace Receiver.Web.Tests.Browser;

/// <summary>A fact that is skipped, with the reason, when /usr/bin/chromium is not installed.</summary>
[TraitDiscoverer("Receiver.Tests.LaneDiscoverer", "Receiver.Web.Tests")]
public sealed class ChromiumFactAttribute : FactAttribute, ITraitAttribute, ITestLane
{
    /// <summary>The lane of the tests this attribute marks.</summary>
    public string Lane => TestLanes.Browser;

    public ChromiumFactAttribute()
    {
        Skip = ChromiumFixture.MissingChromium;
    }
}
