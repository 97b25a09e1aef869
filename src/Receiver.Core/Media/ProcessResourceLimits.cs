using System.Runtime.InteropServices;

namespace Receiver.Core.Media;

/// <summary>
/// Sets resource limits on a running child process with Linux's <c>prlimit(2)</c>, which changes another process's
/// limits by its pid. Elsewhere nothing is set (<see cref="IsSupported"/> is false) and the caller says so in its log.
/// </summary>
public static partial class ProcessResourceLimits
{
    // The generic Linux resource numbers, the same on x86-64 and arm64.
    private const int RlimitCpu = 0;
    private const int RlimitData = 2;

    /// <summary>True where limits can be set (Linux).</summary>
    public static bool IsSupported => OperatingSystem.IsLinux();

    /// <summary>
    /// Sets <paramref name="limits"/> on process <paramref name="pid"/>. Returns null when they are set (or there are
    /// none), otherwise why not (not Linux, or the system's error: the process may have ended already).
    /// </summary>
    public static string? TryApply(int pid, FfmpegLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        if (limits.IsNone)
        {
            return null;
        }

        if (!IsSupported)
        {
            return "resource limits are set on Linux only";
        }

        if (limits.MaxDataBytes is { } bytes && Set(pid, RlimitData, (ulong)bytes, (ulong)bytes) is { } dataError)
        {
            return "memory limit: " + dataError;
        }

        // The soft limit sends SIGXCPU, which ends ffmpeg; the hard limit a second later is SIGKILL for a process that ignores it.
        if (limits.CpuSeconds is { } seconds && Set(pid, RlimitCpu, (ulong)seconds, (ulong)seconds + 1) is { } cpuError)
        {
            return "CPU limit: " + cpuError;
        }

        return null;
    }

    private static unsafe string? Set(int pid, int resource, ulong soft, ulong hard)
    {
        var limit = new Rlimit { Current = soft, Max = hard };
        if (prlimit(pid, resource, (IntPtr)(&limit), out _) == 0)
        {
            return null;
        }

        var errno = Marshal.GetLastPInvokeError();
        return $"{Marshal.GetPInvokeErrorMessage(errno)} (errno {errno})";
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int prlimit(int pid, int resource, IntPtr newLimit, out Rlimit oldLimit);

    [StructLayout(LayoutKind.Sequential)]
    private struct Rlimit
    {
        public ulong Current;
        public ulong Max;
    }
}
