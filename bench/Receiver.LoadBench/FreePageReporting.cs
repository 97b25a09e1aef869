using System.Diagnostics;
using System.Globalization;

namespace Receiver.LoadBench;

/// <summary>
/// The virtio balloon's free page reporting as the guest sees it: each batch of free pages the guest hands back to
/// the host is acknowledged by an interrupt on the balloon's <c>reporting_vq</c> line of <c>/proc/interrupts</c>.
/// The kernel reports in passes at most every two seconds: a pass takes the free blocks (128 KB and larger) that
/// were freed since the last one, and the next pass starts no sooner than two seconds after a pass ends. Memory freed
/// right after a pass therefore stays host-backed for about two seconds.
/// </summary>
public static class FreePageReporting
{
    /// <summary>Interrupts closer together than this belong to one pass.</summary>
    private static readonly TimeSpan PassGap = TimeSpan.FromMilliseconds(50);

    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(5);

    /// <summary>Longer than the kernel's delay between passes: no interrupt for this long means the reporting is idle.</summary>
    private static readonly TimeSpan IdleAfter = TimeSpan.FromMilliseconds(2500);

    /// <summary>Reported batches so far, or null on a machine without free page reporting.</summary>
    public static long? ReportedBatches() => ParseReportedBatches(File.ReadLines("/proc/interrupts"));

    /// <summary>The <c>reporting_vq</c> line's interrupts, summed over all CPUs, from the text of <c>/proc/interrupts</c>.</summary>
    public static long? ParseReportedBatches(IEnumerable<string> interrupts)
    {
        foreach (var line in interrupts)
        {
            if (!line.TrimEnd().EndsWith("reporting_vq", StringComparison.Ordinal))
            {
                continue;
            }

            // "IRQ:  count-cpu0  count-cpu1 ...  controller  edge  name": sum the numbers after the IRQ.
            long total = 0;
            foreach (var field in line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                if (!long.TryParse(field, NumberStyles.None, CultureInfo.InvariantCulture, out var count))
                {
                    break;
                }

                total += count;
            }

            return total;
        }

        return null;
    }

    /// <summary>
    /// Waits until a reporting pass has just ended (its last batch acknowledged, then <see cref="PassGap"/> without
    /// another), or until the reporting has been idle for longer than the kernel's delay between passes; says which.
    /// </summary>
    public static async Task<string> WaitForPassEndAsync(CancellationToken cancellationToken)
    {
        if (ReportedBatches() is not { } last)
        {
            return "no free page reporting";
        }

        var started = Stopwatch.GetTimestamp();
        var lastChange = started;
        var seenPass = false;
        while (true)
        {
            await Task.Delay(Poll, cancellationToken);
            var now = ReportedBatches() ?? last;
            if (now != last)
            {
                last = now;
                lastChange = Stopwatch.GetTimestamp();
                seenPass = true;
                continue;
            }

            var quiet = Stopwatch.GetElapsedTime(lastChange);
            if (seenPass && quiet >= PassGap)
            {
                return string.Create(CultureInfo.InvariantCulture, $"after a reporting pass ({Stopwatch.GetElapsedTime(started).TotalSeconds:F2} s)");
            }

            if (!seenPass && quiet >= IdleAfter)
            {
                return "reporting idle";
            }
        }
    }
}
