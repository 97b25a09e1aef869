namespace Receiver.Core.Media;

/// <summary>
/// The resource limits of one ffmpeg process, set on it as soon as it has started (<see cref="ProcessResourceLimits"/>).
/// </summary>
/// <param name="MaxDataBytes">
/// Its data segment (<c>RLIMIT_DATA</c>: heap, private writable mappings, thread stacks): an allocation beyond it
/// fails, and ffmpeg exits with an error. Null: no limit.
/// </param>
/// <param name="CpuSeconds">
/// Its CPU time in whole seconds (<c>RLIMIT_CPU</c>): past it the system ends the process (SIGXCPU, then SIGKILL a
/// second later). For one-shot decodes only; a long-running transcoder is watched by <see cref="FfmpegCpuWatchdog"/>.
/// Null: no limit.
/// </param>
public sealed record FfmpegLimits(long? MaxDataBytes = null, int? CpuSeconds = null)
{
    /// <summary>No limits: the process runs as the receiver does.</summary>
    public static FfmpegLimits None { get; } = new();

    public bool IsNone => MaxDataBytes is null && CpuSeconds is null;

    /// <summary>The limits in words, for errors and logs (<c>memory 1024 MiB, CPU 5 s</c>).</summary>
    public string Describe()
    {
        var parts = new List<string>(2);
        if (MaxDataBytes is { } bytes)
        {
            parts.Add(FormattableString.Invariant($"memory {bytes / (1024.0 * 1024):0.#} MiB"));
        }

        if (CpuSeconds is { } seconds)
        {
            parts.Add(FormattableString.Invariant($"CPU {seconds} s"));
        }

        return parts.Count == 0 ? "none" : string.Join(", ", parts);
    }
}
