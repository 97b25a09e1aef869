using Xunit.Sdk;
using System.Diagnostics;

namespace Receiver.Web.Tests.Admin;

/// <summary>A fact that needs a reachable Docker daemon (<c>docker info</c> succeeds); skipped otherwise.</summary>
[TraitDiscoverer("Receiver.Tests.LaneDiscoverer", "Receiver.Web.Tests")]
public sealed class DockerFactAttribute : FactAttribute, ITraitAttribute, ITestLane
{
    /// <summary>The lane of the tests this attribute marks.</summary>
    public string Lane => TestLanes.External;

    private static readonly Lazy<string?> Unavailable = new(Probe);

    public DockerFactAttribute()
    {
        if (Unavailable.Value is { } reason)
        {
            Skip = reason;
        }
    }

    private static string? Probe()
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo("docker", "info")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            });
            if (process is null)
            {
                return "docker could not be started";
            }

            process.StandardOutput.ReadToEndAsync();
            process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(TimeSpan.FromSeconds(20)))
            {
                process.Kill(entireProcessTree: true);
                return "docker info did not answer within 20 s";
            }

            return process.ExitCode == 0 ? null : "no Docker daemon is reachable (docker info failed); the image build needs one";
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "docker is not installed";
        }
    }
}
