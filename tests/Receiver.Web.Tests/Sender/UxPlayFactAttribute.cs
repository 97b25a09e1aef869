using Receiver.Web.Tests.Infrastructure;

namespace Receiver.Web.Tests.Sender;

/// <summary>
/// A fact that runs UxPlay in a private network namespace: needs Linux, root, ip/unshare/ss, dbus-daemon, avahi-daemon,
/// uxplay and ffmpeg; skipped with the missing piece named otherwise.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class UxPlayFactAttribute : FactAttribute
{
    private static readonly Lazy<string?> Missing = new(FindMissing);

    public UxPlayFactAttribute()
    {
        if (Missing.Value is { } reason)
        {
            Skip = reason;
        }
    }

    private static string? FindMissing()
    {
        if (!OperatingSystem.IsLinux())
        {
            return "network namespaces need Linux";
        }

        if (!Environment.IsPrivilegedProcess)
        {
            return "creating a network namespace needs root";
        }

        foreach (var tool in new[] { "ip", "unshare", "ss", "dbus-daemon", "avahi-daemon", "uxplay", "ffmpeg", "ffprobe" })
        {
            if (!ExternalTools.Exists(tool) && !File.Exists(Path.Combine("/usr/sbin", tool)) && !File.Exists(Path.Combine("/sbin", tool)))
            {
                return $"{tool} is not installed";
            }
        }

        return null;
    }
}
