using System.Globalization;

namespace Receiver.LoadBench;

/// <summary>
/// What a process did, summed over all its threads, from <c>/proc</c>: user and system CPU ticks and page faults
/// (<c>/proc/PID/stat</c>) and voluntary and involuntary context switches (each <c>/proc/PID/task/TID/status</c>,
/// since the process's own status counts only its main thread). Two readings bracket an ingest run, so that a slow
/// run can be told apart from a fast one by where its time went.
/// </summary>
public readonly record struct ProcessActivity(long UserTicks, long SystemTicks, long MinorFaults, long MajorFaults, long VoluntarySwitches, long InvoluntarySwitches)
{
    private static readonly double TicksPerSecond = ProcessSample.TicksPerSecond;

    public static ProcessActivity Read(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        long Field(int index) => long.Parse(fields[index], CultureInfo.InvariantCulture);
        long voluntary = 0, involuntary = 0;
        foreach (var task in Directory.EnumerateDirectories($"/proc/{pid}/task"))
        {
            try
            {
                foreach (var line in File.ReadLines(Path.Combine(task, "status")))
                {
                    if (line.StartsWith("voluntary_ctxt_switches:", StringComparison.Ordinal))
                    {
                        voluntary += long.Parse(line.AsSpan("voluntary_ctxt_switches:".Length).Trim(), CultureInfo.InvariantCulture);
                    }
                    else if (line.StartsWith("nonvoluntary_ctxt_switches:", StringComparison.Ordinal))
                    {
                        involuntary += long.Parse(line.AsSpan("nonvoluntary_ctxt_switches:".Length).Trim(), CultureInfo.InvariantCulture);
                    }
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // A thread that ended between the listing and the read.
            }
        }

        // stat fields after the name: 8 minflt, 10 majflt, 11 utime, 12 stime (0-based from the state field).
        return new ProcessActivity(Field(11), Field(12), Field(7), Field(9), voluntary, involuntary);
    }

    /// <summary>The difference as one table cell: user / system CPU-s, minor faults, voluntary / involuntary switches.</summary>
    public string DescribeSince(ProcessActivity before) => string.Create(CultureInfo.InvariantCulture,
        $"{(UserTicks - before.UserTicks) / TicksPerSecond:F2} / {(SystemTicks - before.SystemTicks) / TicksPerSecond:F2} | {MinorFaults - before.MinorFaults} | {VoluntarySwitches - before.VoluntarySwitches} / {InvoluntarySwitches - before.InvoluntarySwitches}");
}
