using Receiver.Tests;
using Receiver.Web.Tests.Browser;
using Xunit.Sdk;

namespace Receiver.Web.Tests.WebRtc;

/// <summary>A browser fact that is skipped, with the reason, when Chromium or Janus is not installed.</summary>
[TraitDiscoverer("Receiver.Tests.LaneDiscoverer", "Receiver.Web.Tests")]
public sealed class JanusChromiumFactAttribute : FactAttribute, ITraitAttribute, ITestLane
{
    public string Lane => TestLanes.Browser;

    public JanusChromiumFactAttribute()
    {
        Skip = ChromiumFixture.MissingChromium ?? JanusProcess.Missing;
    }
}
