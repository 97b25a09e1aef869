using System.Diagnostics;
using System.Globalization;
using Receiver.Web.Tests.Infrastructure;

namespace Receiver.Web.Tests.WebRtc;

/// <summary>
/// Two private network namespaces joined by a veth pair, as two machines on one LAN: the receiver's side
/// (<see cref="Server"/>, <see cref="ServerAddress"/> on <see cref="ServerInterface"/>, a default route through it) and the
/// viewer's (<see cref="Viewer"/>, <see cref="ViewerAddress"/>). Both have their own <c>lo</c>; nothing touches the
/// machine's interfaces. Disposing ends every process still in them (all started by the test) and drops them.
/// </summary>
internal sealed class LanNamespaces : IAsyncDisposable
{
    public const string ServerAddress = "10.99.1.1";
    public const string ViewerAddress = "10.99.1.2";
    public const string ServerInterface = "rtc0";
    private const string ViewerInterface = "rtc1";
    private static int s_count;

    private LanNamespaces(string server, string viewer)
    {
        Server = server;
        Viewer = viewer;
    }

    public string Server { get; }

    public string Viewer { get; }

    public static async Task<LanNamespaces> CreateAsync()
    {
        var suffix = string.Create(CultureInfo.InvariantCulture, $"{Environment.ProcessId}-{Interlocked.Increment(ref s_count)}");
        var lan = new LanNamespaces($"airplay-rtc-srv-{suffix}", $"airplay-rtc-view-{suffix}");
        // "ip netns add" makes /run/netns a shared mount on first use; the other namespace tests take this lock for it.
        await RunAsync("flock", "/tmp/airplay-netns.lock", "ip", "netns", "add", lan.Server);
        await RunAsync("flock", "/tmp/airplay-netns.lock", "ip", "netns", "add", lan.Viewer);
        await RunAsync("ip", "-n", lan.Server, "link", "set", "lo", "up");
        await RunAsync("ip", "-n", lan.Viewer, "link", "set", "lo", "up");
        await RunAsync("ip", "-n", lan.Server, "link", "add", ServerInterface, "type", "veth", "peer", "name", ViewerInterface, "netns", lan.Viewer);
        await RunAsync("ip", "-n", lan.Server, "addr", "add", $"{ServerAddress}/24", "dev", ServerInterface);
        await RunAsync("ip", "-n", lan.Viewer, "addr", "add", $"{ViewerAddress}/24", "dev", ViewerInterface);
        await RunAsync("ip", "-n", lan.Server, "link", "set", ServerInterface, "up");
        await RunAsync("ip", "-n", lan.Viewer, "link", "set", ViewerInterface, "up");
        // A LAN machine has a default route; Janus finds its own address through it.
        await RunAsync("ip", "-n", lan.Server, "route", "add", "default", "dev", ServerInterface);
        await RunAsync("ip", "-n", lan.Viewer, "route", "add", "default", "dev", ViewerInterface);
        return lan;
    }

    /// <summary>A script that runs <paramref name="program"/> with its arguments in the viewer's namespace.</summary>
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public string ViewerWrapperScript(string directory, string program)
    {
        var path = Path.Combine(directory, "in-viewer-namespace.sh");
        File.WriteAllText(path, $"#!/bin/sh\nexec ip netns exec {Viewer} {program} \"$@\"\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var name in (string[])[Viewer, Server])
        {
            var (_, pids) = await ExternalTools.RunAsync("ip", ["netns", "pids", name]);
            foreach (var pid in pids.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                if (int.TryParse(pid, CultureInfo.InvariantCulture, out var id))
                {
                    try
                    {
                        using var process = Process.GetProcessById(id);
                        process.Kill();
                    }
                    catch (Exception e) when (e is ArgumentException or InvalidOperationException)
                    {
                    }
                }
            }

            await ExternalTools.RunAsync("ip", ["netns", "del", name]);
        }
    }

    private static async Task RunAsync(string file, params string[] arguments)
    {
        var (exit, text) = await ExternalTools.RunAsync(file, arguments, TimeSpan.FromSeconds(20));
        if (exit != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} failed ({exit}): {text}");
        }
    }
}
