using Microsoft.Extensions.Time.Testing;
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

    [FfmpegFact]
    public async Task RunToCompletionAsync_Failure_ReturnsTheExitCodeAndTheErrorTail()
    {
        string[] arguments = ["-hide_banner", "-loglevel", "error", "-f", "no-such-format", "-i", "pipe:0", "pipe:1"];
        var result = await FfmpegProcess.RunToCompletionAsync("ffmpeg", arguments, new byte[16], TimeSpan.FromMinutes(1), TimeProvider.System, CancellationToken.None);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Empty(result.Output);
        Assert.Contains("no-such-format", result.Error, StringComparison.Ordinal);
    }

    [FfmpegFact]
    public async Task RunToCompletionAsync_Ffprobe_ReturnsItsOutputAsText()
    {
        string[] arguments = ["-v", "error", "-f", "lavfi", "-i", "testsrc=size=320x240:rate=1:duration=1", "-show_entries", "stream=width,height", "-of", "csv=p=0"];
        var result = await FfmpegProcess.RunToCompletionAsync("ffprobe", arguments, ReadOnlyMemory<byte>.Empty, TimeSpan.FromMinutes(1), TimeProvider.System, CancellationToken.None);

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Equal("320,240", result.OutputText.Trim());
    }

    [FfmpegFact]
    public async Task RunToCompletionAsync_PastItsTimeoutOnTheClock_KillsItAndThrowsTimeout()
    {
        var time = new FakeTimeProvider();
        // Real-time pacing of an endless source: it never ends on its own.
        string[] arguments = ["-hide_banner", "-loglevel", "error", "-re", "-f", "lavfi", "-i", "testsrc=size=64x64:rate=5", "-f", "null", "-"];
        var run = FfmpegProcess.RunToCompletionAsync("ffmpeg", arguments, ReadOnlyMemory<byte>.Empty, TimeSpan.FromSeconds(30), time, CancellationToken.None);

        await Task.Delay(200);
        Assert.False(run.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(30));

        var ex = await Assert.ThrowsAsync<TimeoutException>(() => run.WaitAsync(TimeSpan.FromSeconds(20)));
        Assert.Contains("30 s", ex.Message, StringComparison.Ordinal);
    }

    [FfmpegFact]
    public async Task RunToCompletionAsync_Cancelled_KillsItAndThrowsCancellation()
    {
        using var cancel = new CancellationTokenSource();
        string[] arguments = ["-hide_banner", "-loglevel", "error", "-re", "-f", "lavfi", "-i", "testsrc=size=64x64:rate=5", "-f", "null", "-"];
        var run = FfmpegProcess.RunToCompletionAsync("ffmpeg", arguments, ReadOnlyMemory<byte>.Empty, TimeSpan.FromMinutes(5), TimeProvider.System, cancel.Token);

        await Task.Delay(200);
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run.WaitAsync(TimeSpan.FromSeconds(20)));
    }

    [FfmpegFact]
    public async Task Start_OutputStreamedWithoutInput_EndsWithExitCodeZero()
    {
        string[] arguments = ["-hide_banner", "-loglevel", "error", "-f", "lavfi", "-i", "testsrc=size=64x64:rate=10", "-frames:v", "5", "-f", "rawvideo", "-pix_fmt", "gray", "-"];
        using var ffmpeg = FfmpegProcess.Start("ffmpeg", arguments);
        ffmpeg.CloseInput();
        using var output = new MemoryStream();

        await ffmpeg.Output.CopyToAsync(output);

        Assert.Equal(0, await ffmpeg.WaitForExitAsync(CancellationToken.None));
        Assert.Equal(5 * 64 * 64, output.Length);
        Assert.Equal(string.Empty, ffmpeg.ErrorTail);
    }

    [Fact]
    public void Locate_UnknownTool_ReturnsNull() =>
        Assert.Null(FfmpegProcess.Locate("no-such-tool-" + Guid.NewGuid().ToString("N")));

    [FfmpegFact]
    public void Locate_Ffmpeg_ReturnsAnExistingFullPath()
    {
        var path = FfmpegProcess.Locate("ffmpeg");

        Assert.NotNull(path);
        Assert.True(Path.IsPathRooted(path) || path.Contains(Path.DirectorySeparatorChar, StringComparison.Ordinal), path);
        Assert.True(File.Exists(path));
    }
}
