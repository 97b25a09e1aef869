using Xunit.Sdk;
using Receiver.Web.Tests.Infrastructure;

namespace Receiver.Web.Tests.Frontend;

/// <summary>A fact that is skipped, with the reason, when node or npm is not installed.</summary>
[TraitDiscoverer("Receiver.Tests.LaneDiscoverer", "Receiver.Web.Tests")]
public sealed class NodeFactAttribute : FactAttribute, ITraitAttribute, ITestLane
{
    /// <summary>The lane of the tests this attribute marks.</summary>
    public string Lane => TestLanes.External;

    public NodeFactAttribute()
    {
        Skip = MissingNode;
    }

    /// <summary>Why the front-end checks cannot run here, or null.</summary>
    public static string? MissingNode =>
        ExternalTools.Exists("node") && ExternalTools.Exists("npm")
            ? null
            : "node and npm are not installed (the type check of wwwroot/js needs them; apt-get install nodejs npm)";
}
