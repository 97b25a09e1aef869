using Receiver.Web.Tests.Infrastructure;

namespace Receiver.Web.Tests.Sender;

/// <summary>A fact that needs ffmpeg and ffprobe (to make clips and read dumps); skipped when they are not installed.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class FfmpegFactAttribute : FactAttribute
{
    public FfmpegFactAttribute()
    {
        if (!ExternalTools.Exists("ffmpeg") || !ExternalTools.Exists("ffprobe"))
        {
            Skip = "ffmpeg/ffprobe are not installed";
        }
    }
}
