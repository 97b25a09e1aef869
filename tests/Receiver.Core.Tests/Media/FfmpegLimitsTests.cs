using System.Globalization;
using Receiver.Core.Audio;
using Receiver.Core.Media;
using Receiver.Core.Tests.Audio;

namespace Receiver.Core.Tests.Media;

/// <summary>
/// ffmpeg under resource limits (Linux <c>prlimit</c>): a real child carries them, one that needs more memory or CPU
/// than it has fails with an error that says so, and the CPU watchdog ends a busy transcoder while a quiet one goes on.
/// </summary>
[Collection(RealTimeCollection.Name)]
public sealed class FfmpegLimitsTests
{
    private static readonly FfmpegLimits Normal = new(MaxDataBytes: 1024L * 1024 * 1024, CpuSeconds: 5);

    private static readonly string[] SnapshotArguments =
        ["-hide_banner", "-loglevel", "error", "-nostdin", "-f", "h264", "-i", "pipe:0", "-c:v", "mjpeg", "-frames:v", "1", "-q:v", "3", "-f", "image2", "pipe:1"];

    [FfmpegFact]
    public async Task Start_WithLimits_TheChildHasThemInProcLimits()
    {
        // An ffmpeg that waits on its standard input: the limits are read from the system while it runs.
        using var ffmpeg = FfmpegProcess.Start("ffmpeg", ["-hide_banner", "-loglevel", "error", "-f", "u8", "-i", "pipe:0", "-f", "null", "-"], Normal);
        if (!OperatingSystem.IsLinux())
        {
            Assert.True(ffmpeg.Limits.IsNone, "where limits cannot be set, the process says it has none");
            return;
        }

        var limits = await File.ReadAllLinesAsync($"/proc/{ffmpeg.Id}/limits");
        Assert.Equal(("1073741824", "1073741824"), Limit(limits, "Max data size"));
        Assert.Equal(("5", "6"), Limit(limits, "Max cpu time"));
        Assert.Equal(Normal, ffmpeg.Limits);
    }

    [FfmpegFact]
    public async Task RunAsync_1080pKeyframeUnderTheDefaultLimits_DecodesToJpeg()
    {
        var keyframe = await EncodeKeyframeAsync(1920, 1080);

        var jpeg = await FfmpegProcess.RunAsync("ffmpeg", SnapshotArguments, keyframe, Normal, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal([0xFF, 0xD8], jpeg[..2]);
    }

    [FfmpegFact]
    public async Task RunAsync_MoreMemoryThanItsLimit_FailsWithAnErrorNamingTheLimit()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        // A 1080p decode needs about 168 MiB of data segment; 64 MiB is not enough.
        var keyframe = await EncodeKeyframeAsync(1920, 1080);
        var running = FfmpegProcess.Running;

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            FfmpegProcess.RunAsync("ffmpeg", SnapshotArguments, keyframe, new FfmpegLimits(MaxDataBytes: 64L * 1024 * 1024), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(60)));

        Assert.Contains("memory 64 MiB", error.Message, StringComparison.Ordinal);
        Assert.Equal(running, FfmpegProcess.Running);
    }

    [FfmpegFact]
    public async Task RunAsync_MoreCpuTimeThanItsLimit_IsEndedByTheSystem()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        // Encoding an endless test pattern as fast as it can: it would never end on its own.
        string[] busy = ["-hide_banner", "-loglevel", "error", "-nostdin", "-f", "lavfi", "-i", "testsrc2=size=640x360:rate=30", "-c:v", "mpeg4", "-f", "null", "-"];
        var started = DateTime.UtcNow;

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            FfmpegProcess.RunAsync("ffmpeg", busy, ReadOnlyMemory<byte>.Empty, new FfmpegLimits(CpuSeconds: 1), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(60)));

        Assert.Contains("CPU time limit of 1 s", error.Message, StringComparison.Ordinal);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(60));
    }

    [FfmpegFact]
    public async Task Watchdog_BusyFfmpeg_IsKilledAndCounted_WhileAQuietTranscoderGoesOn()
    {
        var frames = AudioVectors.LoadFrames();
        var watchdog = new FfmpegCpuWatchdog(25, TimeSpan.FromSeconds(2), TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
        // Another session's sound: a transcoder under the same watchdog, fed at the sender's pace.
        using var quiet = AudioTranscoder.Start(AudioInputFormat.AacEld, watchdog: watchdog);
        string[] spin = ["-hide_banner", "-loglevel", "error", "-nostdin", "-f", "lavfi", "-i", "testsrc2=size=1280x720:rate=30", "-c:v", "mpeg4", "-threads", "1", "-f", "null", "-"];
        var pcm = Task.Run(async () =>
        {
            var count = 0;
            await foreach (var frame in quiet.PcmOutput.ReadAllAsync())
            {
                count++;
            }

            return count;
        });
        using var busy = FfmpegProcess.Start("ffmpeg", spin);
        using var watch = watchdog.Watch(busy, "busy test pattern");

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        var written = 0;
        while (!busy.HasExited && DateTime.UtcNow < deadline)
        {
            // 480 samples at 44.1 kHz: a frame every 11 ms; two per 20 ms keep up with real time.
            Assert.True(quiet.Write(frames[written++ % frames.Count]));
            Assert.True(quiet.Write(frames[written++ % frames.Count]));
            await Task.Delay(20);
        }

        Assert.True(busy.HasExited, "the busy ffmpeg was killed");
        Assert.Equal(1, watchdog.Killed);
        Assert.False(quiet.HasExited, "the quiet transcoder still runs");
        quiet.CompleteInput();

        // Every frame of the other stream was decoded.
        Assert.Equal(written, await pcm.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(1, watchdog.Killed);
    }

    [FfmpegFact]
    public async Task Watchdog_TranscoderOverItsShare_IsKilled_AndItsOutputsEnd()
    {
        var frames = AudioVectors.LoadFrames();
        // No real transcoder uses 0.01 % of a core while it decodes: this one is stopped at the first full window.
        var watchdog = new FfmpegCpuWatchdog(0.01, TimeSpan.FromMilliseconds(500), TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
        using var transcoder = AudioTranscoder.Start(AudioInputFormat.AacEld, watchdog: watchdog);

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        var i = 0;
        while (transcoder.Write(frames[i++ % frames.Count]) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(5);
        }

        Assert.True(watchdog.Killed >= 1, $"written {i}, exited {transcoder.HasExited}: {transcoder.LastError}");
        // The sound ends, as a closed stream: its readers complete rather than wait for ever.
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await transcoder.WaitForOutputAsync(patience.Token);
        await foreach (var frame in transcoder.PcmOutput.ReadAllAsync(patience.Token))
        {
        }

        await foreach (var frame in transcoder.Output.ReadAllAsync(patience.Token))
        {
        }

        Assert.False(transcoder.Write(frames[0]), "a killed transcoder takes no more frames");
    }

    private static (string Soft, string Hard) Limit(string[] lines, string name)
    {
        var line = lines.Single(l => l.StartsWith(name, StringComparison.Ordinal));
        var fields = line[name.Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return (fields[0], fields[1]);
    }

    private static async Task<byte[]> EncodeKeyframeAsync(int width, int height)
    {
        var result = await FfmpegProcess.RunToCompletionAsync("ffmpeg",
            ["-hide_banner", "-loglevel", "error", "-f", "lavfi", "-i", string.Create(CultureInfo.InvariantCulture, $"testsrc2=size={width}x{height}:rate=30"),
             "-frames:v", "1", "-c:v", "libx264", "-preset", "veryfast", "-f", "h264", "pipe:1"],
            ReadOnlyMemory<byte>.Empty, TimeSpan.FromMinutes(1), TimeProvider.System, CancellationToken.None);
        Assert.True(result.ExitCode == 0, result.Error);
        return result.Output;
    }
}

/// <summary>The watchdog's arithmetic on a fake clock and a fake CPU counter.</summary>
public sealed class FfmpegCpuWatchdogTests
{
    private readonly Microsoft.Extensions.Time.Testing.FakeTimeProvider _time = new();

    [Fact]
    public void Watch_OverTheShareForAWholeWindow_KillsOnceAndCounts_AndLeavesAnotherAlone()
    {
        var watchdog = new FfmpegCpuWatchdog(90, TimeSpan.FromSeconds(10), _time, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
        var busyCpu = TimeSpan.Zero;
        var calmCpu = TimeSpan.Zero;
        var busyKilled = 0;
        var calmKilled = 0;
        using var busy = watchdog.Watch("busy", () => busyCpu, () => busyKilled++);
        using var calm = watchdog.Watch("calm", () => calmCpu, () => calmKilled++);

        for (var second = 1; second <= 9; second++)
        {
            busyCpu += TimeSpan.FromSeconds(0.95);
            calmCpu += TimeSpan.FromSeconds(0.5);
            _time.Advance(TimeSpan.FromSeconds(1));
        }

        // Nine seconds at 95 %: the window is not full yet.
        Assert.Equal(0, busyKilled);
        for (var second = 10; second <= 30; second++)
        {
            busyCpu += TimeSpan.FromSeconds(0.95);
            calmCpu += TimeSpan.FromSeconds(0.5);
            _time.Advance(TimeSpan.FromSeconds(1));
        }

        Assert.Equal(1, busyKilled);
        Assert.Equal(0, calmKilled);
        Assert.Equal(1, watchdog.Killed);
    }

    [Fact]
    public void Watch_ShortBurstAveragedOverTheWindow_IsNotKilled()
    {
        var watchdog = new FfmpegCpuWatchdog(90, TimeSpan.FromSeconds(10), _time, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
        var cpu = TimeSpan.Zero;
        var killed = 0;
        using var watch = watchdog.Watch("bursty", () => cpu, () => killed++);

        for (var second = 1; second <= 60; second++)
        {
            // Two seconds of a full core every ten seconds (starting up, a format change): 20 % on average.
            cpu += second % 10 is 1 or 2 ? TimeSpan.FromSeconds(1) : TimeSpan.Zero;
            _time.Advance(TimeSpan.FromSeconds(1));
        }

        Assert.Equal(0, killed);
    }

    [Fact]
    public void Watch_ProcessExited_StopsWatching()
    {
        var watchdog = new FfmpegCpuWatchdog(1, TimeSpan.FromSeconds(1), _time, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
        TimeSpan? cpu = TimeSpan.Zero;
        var killed = 0;
        using var watch = watchdog.Watch("gone", () => cpu, () => killed++);

        cpu = null;
        _time.Advance(TimeSpan.FromSeconds(5));

        Assert.Equal(0, killed);
        Assert.Equal(0, watchdog.Killed);
    }
}
