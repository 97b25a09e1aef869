using System.Diagnostics;
using Receiver.Core.Media;

namespace Receiver.Web.Tests.Infrastructure;

/// <summary>
/// Finds and runs the external programs some tests use (python3, node, docker, bash, dotnet); ffmpeg and ffprobe run
/// through the receiver's own runner (<see cref="RunFfmpegAsync"/>).
/// </summary>
public static class ExternalTools
{
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(2);

    public static bool Exists(string name) => FfmpegProcess.Locate(name) is not null;

    /// <summary>Runs ffmpeg or ffprobe to its end; the output is its standard output followed by the tail of its error output.</summary>
    public static async Task<(int ExitCode, string Output)> RunFfmpegAsync(string tool, IEnumerable<string> arguments, TimeSpan? timeout = null)
    {
        var result = await FfmpegProcess.RunToCompletionAsync(FfmpegProcess.Locate(tool) ?? tool, arguments, ReadOnlyMemory<byte>.Empty,
            timeout ?? DefaultTimeout, TimeProvider.System, CancellationToken.None);
        return (result.ExitCode, result.OutputText + result.Error);
    }

    public static async Task<(int ExitCode, string Output)> RunAsync(string file, IEnumerable<string> arguments, TimeSpan? timeout = null, string? workingDirectory = null)
    {
        if (file is "ffmpeg" or "ffprobe")
        {
            throw new ArgumentException($"{file} runs through RunFfmpegAsync (the receiver's ffmpeg runner).", nameof(file));
        }

        var info = new ProcessStartInfo(file)
        {
            WorkingDirectory = workingDirectory ?? string.Empty,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {file}");
        using var cts = new CancellationTokenSource(timeout ?? DefaultTimeout);
        var stdout = process.StandardOutput.ReadToEndAsync(cts.Token);
        var stderr = process.StandardError.ReadToEndAsync(cts.Token);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return (process.ExitCode, await stdout + await stderr);
    }
}
