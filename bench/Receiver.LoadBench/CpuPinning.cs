using System.Diagnostics;
using System.Globalization;

namespace Receiver.LoadBench;

/// <summary>
/// The receiver on some cores and the driver (senders and viewers) on others, so that the driver's own work does not
/// starve the receiver's viewers on a small machine (<c>--pin 1:0</c>: receiver on core 1, driver on core 0). Every
/// thread of the driver is moved to the receiver's cores just before the receiver starts, so the receiver inherits
/// them from its first instruction (its runtime sizes the thread pool and the GC for what it has), and then to the
/// driver's own cores. Uses <c>taskset -a -p</c> (util-linux): all threads of a process.
/// </summary>
public sealed record CpuPinning(string ReceiverCpus, string DriverCpus)
{
    public static CpuPinning Parse(string text)
    {
        var parts = text.Split(':');
        if (parts.Length != 2 || !IsCpuList(parts[0]) || !IsCpuList(parts[1]))
        {
            throw new FormatException("--pin RECEIVER_CPUS:DRIVER_CPUS, e.g. 1:0 (cpu lists as taskset takes them)");
        }

        return new CpuPinning(parts[0], parts[1]);
    }

    /// <summary>Before the receiver starts: the driver's threads on the receiver's cores, for the child to inherit.</summary>
    public Task BeforeReceiverStartsAsync(CancellationToken cancellationToken) => SetAsync(Environment.ProcessId, ReceiverCpus, cancellationToken);

    /// <summary>Once the receiver runs: the driver's threads on its own cores.</summary>
    public Task AfterReceiverStartedAsync(CancellationToken cancellationToken) => SetAsync(Environment.ProcessId, DriverCpus, cancellationToken);

    public override string ToString() => $"receiver on cpu {ReceiverCpus}, driver on cpu {DriverCpus}";

    private static bool IsCpuList(string list) =>
        list.Length > 0 && list.All(c => char.IsAsciiDigit(c) || c is ',' or '-');

    private static async Task SetAsync(int pid, string cpus, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo("taskset") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "-a", "-p", "-c", cpus, pid.ToString(CultureInfo.InvariantCulture) })
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException("taskset did not start");
        var error = await process.StandardError.ReadToEndAsync(cancellationToken);
        await process.StandardOutput.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"taskset -a -p -c {cpus} {pid} failed: {error.Trim()}");
        }
    }
}
