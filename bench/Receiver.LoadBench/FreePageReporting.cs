using System.Diagnostics;
using System.Globalization;

namespace Receiver.LoadBench;

/// <summary>
/// The virtio balloon's free page reporting as the guest's kernel counts it (<c>/sys/module/page_reporting/parameters</c>
/// on this kind of VM: <c>passes</c>, reporting passes ended; <c>reported_kib</c>, free memory handed back to the host).
/// The kernel reports in passes about two seconds apart, each taking the most recently freed blocks first (up to a
/// budget), and the next pass starts no sooner than two seconds after one ends; memory the host took back costs a host
/// fault on its next first write. Right after a pass ends is therefore the moment to free memory that the next writer
/// should find still host-backed.
/// </summary>
public static class FreePageReporting
{
    private const string Parameters = "/sys/module/page_reporting/parameters";

    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(5);

    /// <summary>Longer than the kernel's delay between passes.</summary>
    private static readonly TimeSpan PassTimeout = TimeSpan.FromSeconds(3);

    /// <summary>Passes ended and KiB handed back so far, or null on a machine whose kernel does not count them.</summary>
    public static (long Passes, long ReportedKib)? Read()
    {
        try
        {
            return (ReadCounter("passes"), ReadCounter("reported_kib"));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            return null;
        }
    }

    /// <summary>Memory handed back to the host since <paramref name="before"/>, in MB; null without counters.</summary>
    public static double? ReportedMegabytesSince((long Passes, long ReportedKib)? before) =>
        before is { } start && Read() is { } now ? (now.ReportedKib - start.ReportedKib) * 1024 / 1e6 : null;

    /// <summary>Waits until the next reporting pass has ended (at most <see cref="PassTimeout"/>); says how long it waited.</summary>
    public static async Task<string> WaitForPassEndAsync(CancellationToken cancellationToken)
    {
        if (Read() is not { } start)
        {
            return "no reporting counters";
        }

        var started = Stopwatch.GetTimestamp();
        while (Stopwatch.GetElapsedTime(started) < PassTimeout)
        {
            await Task.Delay(Poll, cancellationToken);
            if (Read() is { } now && now.Passes != start.Passes)
            {
                return string.Create(CultureInfo.InvariantCulture, $"right after a reporting pass (waited {Stopwatch.GetElapsedTime(started).TotalSeconds:F2} s)");
            }
        }

        return "no reporting pass within 3 s";
    }

    private static long ReadCounter(string name) =>
        long.Parse(File.ReadAllText(Path.Combine(Parameters, name)).Trim(), NumberStyles.None, CultureInfo.InvariantCulture);
}
