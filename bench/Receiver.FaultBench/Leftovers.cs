using System.Globalization;

namespace Receiver.FaultBench;

/// <summary>
/// Waits for the receiver to settle after a scenario (timeouts fire, sessions end, ffmpeg exits, idle pool threads
/// retire) and checks what is left against the targets: no session, no ffmpeg child, file descriptors and
/// threads back to the baseline within a small tolerance, the managed heap within 10 % of the start.
/// </summary>
public static class Leftovers
{
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<int, Dictionary<string, int>> BaselineDescriptors = new();

    /// <summary>Keeps what the receiver's descriptors point at now, to name the kinds that grew by the end.</summary>
    public static void RememberDescriptors(ReceiverProcess receiver) => BaselineDescriptors[receiver.Pid] = ReceiverFootprint.DescribeDescriptors(receiver.Pid);

    /// <summary>The kinds of descriptors the receiver holds more of than at its baseline (<c>pipe +6</c>), or <c>none</c>.</summary>
    public static string DescriptorGrowth(ReceiverProcess receiver) =>
        ReceiverFootprint.DescriptorGrowth(BaselineDescriptors.GetValueOrDefault(receiver.Pid) ?? [], ReceiverFootprint.DescribeDescriptors(receiver.Pid));

    /// <summary>Polls the cheap figures until they are back within tolerance or <see cref="FaultOptions.SettleSeconds"/> pass, then reads all of them after a full collection.</summary>
    public static async Task<ReceiverFootprint> SettleAsync(ReceiverProcess receiver, ReceiverFootprint baseline, FaultOptions options, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(options.SettleSeconds);
        while (DateTime.UtcNow < deadline && !receiver.HasExited)
        {
            var now = await ReceiverFootprint.ReadAsync(receiver, collect: false, cancellationToken);
            if (now.Sessions == 0 && now.FfmpegChildren == 0 && now.HeldDescriptors <= baseline.HeldDescriptors + options.FdTolerance
                && now.Threads <= baseline.Threads + options.ThreadTolerance)
            {
                break;
            }

            await Task.Delay(1000, cancellationToken);
        }

        // A moment more for the last timers and pool threads, then the figures after a full collection.
        await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken);
        return await ReceiverFootprint.ReadAsync(receiver, collect: true, cancellationToken);
    }

    public static IReadOnlyList<TargetCheck> Check(ReceiverFootprint baseline, ReceiverFootprint after, FaultOptions options)
    {
        var managedRatio = baseline.ManagedBytes == 0 ? 0 : (double)after.ManagedBytes / baseline.ManagedBytes - 1;
        return
        [
            new("no session left", after.Sessions == 0, $"{after.Sessions} left"),
            new("no ffmpeg left", after.FfmpegChildren == 0, $"{after.FfmpegChildren} left"),
            new("fds at baseline", after.HeldDescriptors <= baseline.HeldDescriptors + options.FdTolerance,
                string.Create(CultureInfo.InvariantCulture, $"{baseline.FileDescriptors} → {after.FileDescriptors}, of which code files {baseline.CodeFiles} → {after.CodeFiles}; others within +{options.FdTolerance}")),
            new("threads at baseline", after.Threads <= baseline.Threads + options.ThreadTolerance,
                string.Create(CultureInfo.InvariantCulture, $"{baseline.Threads} → {after.Threads}, tolerance +{options.ThreadTolerance}")),
            new("managed memory within 10 %", managedRatio <= 0.10,
                string.Create(CultureInfo.InvariantCulture, $"{managedRatio * 100:+0.0;-0.0} %")),
        ];
    }
}
