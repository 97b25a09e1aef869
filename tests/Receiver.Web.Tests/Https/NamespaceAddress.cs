using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;

namespace Receiver.Web.Tests.Https;

/// <summary>
/// A private network namespace whose <c>lo</c> also holds <see cref="Address"/> (not a loopback address, so a browser
/// does not treat it as a secure context). The receiver stays in the test process: its listen sockets for
/// <see cref="Address"/> are made inside the namespace (<see cref="CreateBoundListenSocket"/>, a thread that enters
/// it with <c>setns</c> for the <c>socket</c>/<c>bind</c> calls), and a program started through
/// <see cref="WrapperScript"/> runs inside it. Nothing touches the host's interfaces.
/// </summary>
internal sealed class NamespaceAddress : IDisposable
{
    public static readonly IPAddress Address = IPAddress.Parse("10.99.0.1");
    private const int CloneNewNet = 0x40000000;
    private static int s_count;

    private NamespaceAddress(string name) => Name = name;

    public string Name { get; }

    /// <summary>Why such a namespace cannot be made here (not Linux, not root, no <c>ip netns</c>), or null.</summary>
    public static string? Missing => NetworkNamespaceSupport.FindMissing("ip");

    public static NamespaceAddress Create()
    {
        var name = $"airplay-https-{Environment.ProcessId}-{Interlocked.Increment(ref s_count)}";
        var space = new NamespaceAddress(name);
        // "ip netns add" makes /run/netns a shared mount on first use; the other namespace tests take this lock for it.
        space.Run("flock", "/tmp/airplay-netns.lock", "ip", "netns", "add", name);
        space.Run("ip", "-n", name, "link", "set", "lo", "up");
        space.Run("ip", "-n", name, "addr", "add", $"{Address}/32", "dev", "lo");
        return space;
    }

    /// <summary>For <see cref="SocketTransportOptions.CreateBoundListenSocket"/>: <see cref="Address"/> inside the namespace, anything else as usual.</summary>
    public Socket CreateBoundListenSocket(EndPoint endpoint)
    {
        if (endpoint is not IPEndPoint ip || !ip.Address.Equals(Address))
        {
            return SocketTransportOptions.CreateDefaultBoundListenSocket(endpoint);
        }

        Socket? socket = null;
        Exception? error = null;
        var thread = new Thread(() =>
        {
            var original = Open("/proc/thread-self/ns/net");
            var target = Open($"/run/netns/{Name}");
            try
            {
                if (original < 0 || target < 0 || SetNs(target, CloneNewNet) != 0)
                {
                    throw new IOException($"setns into {Name} failed: errno {Marshal.GetLastPInvokeError()}");
                }

                socket = SocketTransportOptions.CreateDefaultBoundListenSocket(endpoint);
            }
            catch (Exception e) when (e is IOException or SocketException)
            {
                error = e;
            }
            finally
            {
                // The thread ends next, but it goes back first: a pooled continuation must never run in the namespace.
                if (original >= 0)
                {
                    _ = SetNs(original, CloneNewNet);
                    _ = Close(original);
                }

                if (target >= 0)
                {
                    _ = Close(target);
                }
            }
        });
        thread.Start();
        thread.Join();
        return socket ?? throw new IOException($"cannot listen on {endpoint} in namespace {Name}", error);
    }

    /// <summary>A script that runs <paramref name="program"/> with its arguments inside the namespace.</summary>
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public string WrapperScript(string directory, string program)
    {
        var path = Path.Combine(directory, "in-namespace.sh");
        File.WriteAllText(path, $"#!/bin/sh\nexec ip netns exec {Name} {program} \"$@\"\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }

    public void Dispose()
    {
        // Whatever still runs in the namespace was started by this test (the browser); end it by pid, then drop the namespace.
        foreach (var pid in Capture("ip", "netns", "pids", Name).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            try
            {
                using var process = Process.GetProcessById(int.Parse(pid, System.Globalization.CultureInfo.InvariantCulture));
                process.Kill();
            }
            catch (ArgumentException)
            {
            }
        }

        Capture("ip", "netns", "del", Name);
    }

    private void Run(string program, params string[] arguments)
    {
        using var process = Start(program, arguments);
        var output = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} failed ({Name}): {output}");
        }
    }

    private static string Capture(string program, params string[] arguments)
    {
        using var process = Start(program, arguments);
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return output;
    }

    private static Process Start(string program, string[] arguments)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        return Process.Start(info) ?? throw new InvalidOperationException($"{program} did not start");
    }

    // DllImport rather than LibraryImport: the test project does not allow unsafe code, and these signatures are blittable.
    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    private static extern int Open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags = 0);

    [DllImport("libc", EntryPoint = "close", SetLastError = true)]
    private static extern int Close(int fd);

    [DllImport("libc", EntryPoint = "setns", SetLastError = true)]
    private static extern int SetNs(int fd, int nstype);
}
