namespace Receiver.Web.Tests.Infrastructure;

/// <summary>A fact that needs ffmpeg and ffprobe (to make test video, read dumps and snapshots); skipped when they are not installed.</summary>
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
