using Receiver.Tests;
using Receiver.Web.Tests.Infrastructure;
using Xunit.Sdk;

namespace Receiver.Web.Tests.Recording;

/// <summary>
/// A fact that records onto a small tmpfs it mounts (Linux, root, <c>mount</c>) and checks the files with ffmpeg;
/// skipped with the missing piece named otherwise.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
[TraitDiscoverer("Receiver.Tests.LaneDiscoverer", "Receiver.Web.Tests")]
public sealed class TmpfsFactAttribute : FactAttribute, ITraitAttribute, ITestLane
{
    public TmpfsFactAttribute()
    {
        if (!OperatingSystem.IsLinux())
        {
            Skip = "mounting a tmpfs needs Linux";
        }
        else if (!Environment.IsPrivilegedProcess)
        {
            Skip = "mounting a tmpfs needs root";
        }
        else if (!File.Exists("/usr/bin/mount") && !File.Exists("/bin/mount"))
        {
            Skip = "mount is not installed";
        }
        else if (!ExternalTools.Exists("ffmpeg") || !ExternalTools.Exists("ffprobe"))
        {
            Skip = "ffmpeg/ffprobe are not installed";
        }
    }

    /// <summary>The lane of the tests this attribute marks.</summary>
    public string Lane => TestLanes.External;
}
