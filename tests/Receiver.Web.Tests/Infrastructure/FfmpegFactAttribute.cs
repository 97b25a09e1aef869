using Xunit.Sdk;

namespace Receiver.Web.Tests.Infrastructure;

/// <summary>A fact that needs ffmpeg and ffprobe (to make test video, read dumps and snapshots); skipped when they are not installed.</summary>
[AttributeUsage(AttributeTargets.Method)]
[TraitDiscoverer("Receiver.Tests.LaneDiscoverer", "Receiver.Web.Tests")]
public sealed class FfmpegFactAttribute : FactAttribute, ITraitAttribute, ITestLane
{
    /// <summary>The lane of the tests this attribute marks.</summary>
    public string Lane => TestLanes.External;

    public FfmpegFactAttribute()
    {
        if (!ExternalTools.Exists("ffmpeg") || !ExternalTools.Exists("ffprobe"))
        {
            Skip = "ffmpeg/ffprobe are not installed";
        }
    }
}
