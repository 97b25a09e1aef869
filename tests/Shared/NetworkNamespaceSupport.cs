using System.Diagnostics;

namespace Receiver.Tests;

/// <summary>Checks what a test that builds a private network namespace (root, <c>ip netns</c>, tools) needs.</summary>
internal static class NetworkNamespaceSupport
{
    /// <summary>The first missing piece, in words, or null when Linux, root, <c>ip netns</c> and every tool are there.</summary>
    public static string? FindMissing(params string[] tools)
    {
        if (!OperatingSystem.IsLinux())
        {
            return "network namespaces need Linux";
        }

        if (!Environment.IsPrivilegedProcess)
        {
            return "creating a network namespace needs root";
        }

        foreach (var tool in tools)
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
