using Xunit.Sdk;

namespace Receiver.Core.Tests.Plist;

/// <summary>A fact that is skipped, with the reason, when no python3 interpreter is on PATH.</summary>
[TraitDiscoverer("Receiver.Tests.LaneDiscoverer", "Receiver.Core.Tests")]
public sealed class PythonFactAttribute : FactAttribute, ITraitAttribute, ITestLane
{
    /// <summary>The lane of the tests this attribute marks.</summary>
    public string Lane => TestLanes.External;

    public PythonFactAttribute()
    {
        if (PythonPlistlib.Interpreter is null)
        {
            Skip = "python3 is not on PATH, so plistlib cannot check the output";
        }
    }
}
