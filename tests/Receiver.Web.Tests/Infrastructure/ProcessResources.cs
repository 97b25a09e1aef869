using System.Globalization;

namespace Receiver.Web.Tests.Infrastructure;

/// <summary>
/// What this test process holds, read from <c>/proc</c>: its UDP sockets and the ffmpeg processes it started. A refused
/// sender must leave both as they were.
/// </summary>
public static class ProcessResources
{
    /// <summary>UDP sockets (IPv4 and IPv6) whose file descriptors belong to this process.</summary>
    public static int UdpSockets()
    {
        var inodes = SocketInodes();
        var count = 0;
        foreach (var table in new[] { "/proc/net/udp", "/proc/net/udp6" })
        {
            if (!File.Exists(table))
            {
                continue;
            }

            foreach (var line in File.ReadLines(table).Skip(1))
            {
                var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (fields.Length > 9 && inodes.Contains(fields[9]))
                {
                    count++;
                }
            }
        }

        return count;
    }

    /// <summary>Live ffmpeg processes whose parent is this process.</summary>
    public static int FfmpegChildren()
    {
        var self = Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
        var count = 0;
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            try
            {
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var close = stat.LastIndexOf(')');
                var name = stat[(stat.IndexOf('(') + 1)..close];
                var rest = stat[(close + 2)..].Split(' ');
                if (name == "ffmpeg" && rest.Length > 1 && rest[1] == self && rest[0] != "Z")
                {
                    count++;
                }
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        return count;
    }

    private static HashSet<string> SocketInodes()
    {
        var inodes = new HashSet<string>(StringComparer.Ordinal);
        foreach (var fd in Directory.EnumerateFileSystemEntries("/proc/self/fd"))
        {
            try
            {
                var target = new FileInfo(fd).LinkTarget;
                if (target is not null && target.StartsWith("socket:[", StringComparison.Ordinal))
                {
                    inodes.Add(target[8..^1]);
                }
            }
            catch (IOException)
            {
            }
        }

        return inodes;
    }
}
