using System.Diagnostics;

namespace Receiver.Tests;

/// <summary>Runs ffmpeg with bytes on stdin and returns stdout as bytes.</summary>
internal static class FfmpegPipe
{
    public static (int ExitCode, byte[] Stdout, string Stderr) Run(byte[] input, params string[] arguments)
    {
        var start = new ProcessStartInfo("ffmpeg")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("ffmpeg did not start");
        var stdout = new MemoryStream();
        var copy = process.StandardOutput.BaseStream.CopyToAsync(stdout);
        var stderr = process.StandardError.ReadToEndAsync();
        process.StandardInput.BaseStream.Write(input);
        process.StandardInput.Close();
        if (!process.WaitForExit(TimeSpan.FromMinutes(1)))
        {
            process.Kill();
            throw new TimeoutException("ffmpeg did not finish");
        }

        copy.Wait();
        return (process.ExitCode, stdout.ToArray(), stderr.Result);
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
