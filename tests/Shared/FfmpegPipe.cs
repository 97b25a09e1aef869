using Receiver.Core.Media;

namespace Receiver.Tests;

/// <summary>Runs ffmpeg and ffprobe for tests, through the receiver's own runner (<see cref="FfmpegProcess"/>).</summary>
internal static class FfmpegPipe
{
    /// <summary>Runs <paramref name="tool"/> (ffmpeg or ffprobe) with <paramref name="input"/> on its standard input.</summary>
    public static FfmpegRunResult RunTool(string tool, ReadOnlyMemory<byte> input, TimeSpan timeout, params string[] arguments) =>
        FfmpegProcess.RunToCompletionAsync(FfmpegProcess.Locate(tool) ?? tool, arguments, input, timeout, TimeProvider.System, CancellationToken.None)
            .GetAwaiter().GetResult();

    /// <summary>Runs ffmpeg with bytes on stdin and returns stdout as bytes.</summary>
    public static (int ExitCode, byte[] Stdout, string Stderr) Run(byte[] input, params string[] arguments)
    {
        var result = RunTool("ffmpeg", input, TimeSpan.FromMinutes(1), arguments);
        return (result.ExitCode, result.Output, result.Error);
    }

    /// <summary>Decodes a file (or stdin) to interleaved s16le stereo at 44.1 kHz.</summary>
    public static byte[] DecodeToPcm(byte[] input, string format)
    {
        var result = Run(input, "-v", "error", "-f", format, "-i", "pipe:0", "-f", "s16le", "-ac", "2", "pipe:1");
        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.True(result.Stderr.Length == 0, "ffmpeg reported: " + result.Stderr);
        return result.Stdout;
    }
}
