using Receiver.Tests;
using Xunit.Sdk;

namespace Receiver.Web.Tests.WebRtc;

/// <summary>A fact that needs Janus (no browser); skipped, with the reason, when Janus is not installed.</summary>
[TraitDiscoverer("Receiver.Tests.LaneDiscoverer", "Receiver.Web.Tests")]
public sealed class JanusFactAttribute : FactAttribute, ITraitAttribute, ITestLane
{
    public string Lane => TestLanes.External;

    public JanusFactAttribute()
    {
        Skip = JanusProcess.Missing;
    }
}
