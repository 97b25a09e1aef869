using Receiver.Core.Media;

namespace Receiver.Core.Tests.Media;

public sealed class FfmpegProcessTests
{
    [FfmpegFact]
    public async Task RunAsync_RawCopy_ReturnsTheInputBytes()
    {
        var input = Enumerable.Range(0, 8000).Select(i => (byte)(i * 7)).ToArray();
        string[] arguments = ["-hide_banner", "-loglevel", "error", "-f", "u8", "-ar", "8000", "-ac", "1", "-i", "pipe:0", "-c:a", "copy", "-f", "u8", "pipe:1"];
        var output = await FfmpegProcess.RunAsync("ffmpeg", arguments, input, CancellationToken.None);
        Assert.Equal(input, output);
    }

    [FfmpegFact]
    public async Task RunAsync_BadArguments_ThrowsWithFfmpegsError()
    {
        string[] arguments = ["-hide_banner", "-loglevel", "error", "-f", "no-such-format", "-i", "pipe:0", "pipe:1"];
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => FfmpegProcess.RunAsync("ffmpeg", arguments, new byte[16], CancellationToken.None));
        Assert.Contains("no-such-format", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Start_MissingExecutable_ThrowsWin32() =>
        Assert.Throws<System.ComponentModel.Win32Exception>(() => FfmpegProcess.Start("/nonexistent/ffmpeg", []));
}
