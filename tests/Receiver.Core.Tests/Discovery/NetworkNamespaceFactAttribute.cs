using System.Diagnostics;

namespace Receiver.Core.Tests.Discovery;

/// <summary>
/// A fact that needs root, <c>ip netns</c>, <c>unshare</c>, <c>dbus-daemon</c> and avahi; it is skipped with the
/// missing piece named otherwise.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class NetworkNamespaceFactAttribute : FactAttribute
{
    private static readonly Lazy<string?> Missing = new(FindMissing);

    public NetworkNamespaceFactAttribute()
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

        foreach (var tool in new[] { "ip", "unshare", "stdbuf", "dbus-daemon", "avahi-daemon", "avahi-browse" })
        {
            if (!OnPath(tool))
            {
                return $"{tool} is not installed";
            }
        }

        try
        {
            using var process = Process.Start(new ProcessStartInfo("ip", "netns list") { RedirectStandardOutput = true, RedirectStandardError = true });
            if (process is null || !process.WaitForExit(5000) || process.ExitCode != 0)
            {
                return "'ip netns' is not available";
            }
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return "'ip netns' could not run: " + e.Message;
        }

        return null;
    }

    private static bool OnPath(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Concat(["/usr/sbin", "/sbin"])
            .Any(dir => File.Exists(Path.Combine(dir, tool)));
}
