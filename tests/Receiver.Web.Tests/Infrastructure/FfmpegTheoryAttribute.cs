namespace Receiver.Web.Tests.Infrastructure;

/// <summary>A theory that needs ffmpeg and ffprobe; skipped when they are not installed.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class FfmpegTheoryAttribute : TheoryAttribute
{
    public FfmpegTheoryAttribute()
    {
        if (!ExternalTools.Exists("ffmpeg") || !ExternalTools.Exists("ffprobe"))
        {
            Skip = "ffmpeg/ffprobe are not installed";
        }
    }
}
