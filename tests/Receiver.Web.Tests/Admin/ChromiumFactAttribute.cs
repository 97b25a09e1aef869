using Xunit.Sdk;

namespace Receiver.Web.Tests.Admin;

/// <summary>A browser fact: needs Chromium at <see cref="ExecutablePath"/>; skipped when it is not installed.</summary>
[TraitDiscoverer("Receiver.Tests.LaneDiscoverer", "Receiver.Web.Tests")]
public sealed class ChromiumFactAttribute : FactAttribute, ITraitAttribute, ITestLane
{
    /// <summary>The lane of the tests this attribute marks.</summary>
    public string Lane => TestLanes.Browser;

    public const string ExecutablePath = "/usr/bin/chromium";

    public ChromiumFactAttribute()
    {
        if (!File.Exists(ExecutablePath))
        {
            Skip = $"Chromium is not installed at {ExecutablePath} (apt-get install chromium)";
        }
    }
}
