using Xunit.Sdk;

namespace Receiver.Web.Tests.Infrastructure;

/// <summary>A theory that needs ffmpeg and ffprobe; skipped when they are not installed.</summary>
[AttributeUsage(AttributeTargets.Method)]
[TraitDiscoverer("Receiver.Tests.LaneDiscoverer", "Receiver.Web.Tests")]
public sealed class FfmpegTheoryAttribute : TheoryAttribute, ITraitAttribute, ITestLane
{
    /// <summary>The lane of the tests this attribute marks.</summary>
    public string Lane => TestLanes.External;

    public FfmpegTheoryAttribute()
    {
        if (!ExternalTools.Exists("ffmpeg") || !ExternalTools.Exists("ffprobe"))
        {
            Skip = "ffmpeg/ffprobe are not installed";
        }
    }
}
