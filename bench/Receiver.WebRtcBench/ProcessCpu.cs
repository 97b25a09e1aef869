using System.Globalization;

namespace Receiver.WebRtcBench;

/// <summary>CPU time of processes and of the machine, from /proc (user + system, in seconds).</summary>
public static class ProcessCpu
{
    // USER_HZ: 100 on every Linux this runs on (sysconf(_SC_CLK_TCK)).
    private const double TicksPerSecond = 100;

    /// <summary>utime + stime of <paramref name="pid"/> (its own threads, not its children), or NaN when it is gone.</summary>
    public static double Seconds(int pid)
    {
        try
        {
            var fields = StatFields(File.ReadAllText($"/proc/{pid}/stat"));
            return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / TicksPerSecond;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return double.NaN;
        }
    }

    /// <summary>The children of <paramref name="pid"/> now (the receiver's ffmpeg processes).</summary>
    public static int[] Children(int pid)
    {
        var children = new List<int>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), CultureInfo.InvariantCulture, out var candidate))
            {
                continue;
            }

            try
            {
                var fields = StatFields(File.ReadAllText(Path.Combine(directory, "stat")));
                if (int.Parse(fields[1], CultureInfo.InvariantCulture) == pid)
                {
                    children.Add(candidate);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
            }
        }

        return [.. children];
    }

    /// <summary>Busy and total CPU seconds of the whole machine (all cores), from /proc/stat.</summary>
    public static (double Busy, double Total) Machine()
    {
        var line = File.ReadLines("/proc/stat").First();
        var values = line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(v => long.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        var idle = values[3] + values[4];
        var total = values.Take(8).Sum();
        return ((total - idle) / TicksPerSecond, total / TicksPerSecond);
    }

    /// <summary>The fields after the command name (which may hold spaces and parentheses): [0] is the state.</summary>
    private static string[] StatFields(string stat) =>
        stat[(stat.LastIndexOf(')') + 2)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
}
