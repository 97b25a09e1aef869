using System.Text;

namespace Receiver.Core.Media;

/// <summary>How an ffmpeg or ffprobe run to completion ended: its exit code, its whole output and the tail of its error output.</summary>
/// <param name="ExitCode">The process's exit code (0 = success).</param>
/// <param name="Output">Everything it wrote to its standard output.</param>
/// <param name="Error">The last <see cref="FfmpegProcess.MaxErrorChars"/> characters it wrote to its error output.</param>
public sealed record FfmpegRunResult(int ExitCode, byte[] Output, string Error)
{
    /// <summary>The standard output as UTF-8 text (ffprobe's JSON or CSV, ffmpeg's framemd5).</summary>
    public string OutputText => Encoding.UTF8.GetString(Output);
}
