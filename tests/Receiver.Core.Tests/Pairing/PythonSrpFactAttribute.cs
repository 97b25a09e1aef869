using Xunit.Sdk;

namespace Receiver.Core.Tests.Pairing;

/// <summary>A fact in the external lane that is skipped, with the reason, when no python3 has the srp module.</summary>
[TraitDiscoverer("Receiver.Tests.LaneDiscoverer", "Receiver.Core.Tests")]
public sealed class PythonSrpFactAttribute : FactAttribute, ITraitAttribute, ITestLane
{
    /// <summary>The lane of the tests this attribute marks.</summary>
    public string Lane => TestLanes.External;

    public PythonSrpFactAttribute()
    {
        if (PythonSrp.Interpreter is null)
        {
            Skip = PythonSrp.SkipReason;
        }
    }
}
