using System.Globalization;
using System.Runtime.InteropServices;

namespace Receiver.LoadBench;

/// <summary>
/// One reading of a process from outside, through <c>/proc</c>: CPU time spent in user and system mode
/// (<c>/proc/PID/stat</c> fields 14 and 15) and resident memory (<c>VmRSS</c> of <c>/proc/PID/status</c>).
/// Two readings bracket a window; their difference is what the process spent in it.
/// </summary>
public readonly record struct ProcessSample(long UserTicks, long SystemTicks, long ResidentBytes, long Timestamp)
{
    internal static readonly long TicksPerSecond = ReadClockTicks();

    public double CpuSeconds => (double)(UserTicks + SystemTicks) / TicksPerSecond;

    public static ProcessSample Read(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        // The command name (field 2) is in parentheses and may hold spaces: count fields after its closing one.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var user = long.Parse(fields[11], CultureInfo.InvariantCulture);
        var system = long.Parse(fields[12], CultureInfo.InvariantCulture);
        long resident = 0;
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                resident = long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
                break;
            }
        }

        return new ProcessSample(user, system, resident, System.Diagnostics.Stopwatch.GetTimestamp());
    }

    /// <summary>CPU seconds spent between <paramref name="before"/> and this reading.</summary>
    public double CpuSecondsSince(ProcessSample before) => CpuSeconds - before.CpuSeconds;

    /// <summary>Share of one core used between <paramref name="before"/> and this reading.</summary>
    public double CoreFractionSince(ProcessSample before) =>
        CpuSecondsSince(before) / System.Diagnostics.Stopwatch.GetElapsedTime(before.Timestamp, Timestamp).TotalSeconds;

    private static long ReadClockTicks()
    {
        const int ClockTicksName = 2; // _SC_CLK_TCK
        var ticks = Sysconf(ClockTicksName);
        return ticks > 0 ? ticks : 100;
    }

    [DllImport("libc", EntryPoint = "sysconf")]
    private static extern long Sysconf(int name);
}
