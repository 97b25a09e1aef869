using Receiver.Sender.Sessions;
using Receiver.Sender.Video;
using Receiver.Web.Tests.Infrastructure;

namespace Receiver.Web.Tests.Sender;

/// <summary>The simulator's planned stops (<c>--abort STEP:MODE</c>) against our receiver: where it stops, how it goes away, and that the receiver lets go of the session.</summary>
[Collection(SerialCollection.Name)]
public sealed class SenderAbortTests
{
    [Theory]
    [InlineData("before-setup:reset", SenderAbortStep.BeforeSetup, SenderAbortMode.Reset)]
    [InlineData("mid-setup:silent", SenderAbortStep.MidSetup, SenderAbortMode.Silent)]
    [InlineData("MID-STREAM:Reset", SenderAbortStep.MidStream, SenderAbortMode.Reset)]
    [InlineData("mid-audio:silent", SenderAbortStep.MidAudio, SenderAbortMode.Silent)]
    public void Parse_StepAndMode_ReturnsPlan(string text, SenderAbortStep step, SenderAbortMode mode)
    {
        var abort = SenderAbort.Parse(text);

        Assert.Equal((step, mode), (abort.Step, abort.Mode));
        Assert.Equal(text.ToLowerInvariant(), abort.ToString());
    }

    [Theory]
    [InlineData("mid-stream")]
    [InlineData("mid-stream:crash")]
    [InlineData("after-teardown:reset")]
    [InlineData("mid-stream:reset:now")]
    public void Parse_Malformed_Throws(string text) => Assert.Throws<FormatException>(() => SenderAbort.Parse(text));

    [FfmpegFact]
    public async Task MidStreamReset_StopsAfterItsFrames_ReceiverEndsSession()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        using var temp = new SenderTempDirectory("abort-reset");
        var (_, annexB) = await H264Clip.WriteFilesAsync(temp.Path, 320, 180, 3);
        await using var host = await ReceiverHost.StartAsync();

        var result = await new AirPlaySenderSession(Options(host, annexB) with { Abort = new SenderAbort(SenderAbortStep.MidStream, SenderAbortMode.Reset) { AfterFrames = 12 } })
            .RunAsync(cts.Token);

        Assert.True(result.Ok, result.Error);
        Assert.Equal("mid-stream:reset", result.AbortedAt);
        Assert.Equal(12, result.FramesSent);
        Assert.Contains(result.Steps, s => s.Name == "abort");
        Assert.DoesNotContain(result.Steps, s => s.Name.StartsWith("teardown", StringComparison.Ordinal));
        Assert.True(await SessionsEndAsync(host, TimeSpan.FromSeconds(10)), "the receiver kept the reset sender's session");
    }

    [FfmpegFact]
    public async Task MidSetupSilent_HoldsUntilReceiverIdleTimeout()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        using var temp = new SenderTempDirectory("abort-silent");
        var (_, annexB) = await H264Clip.WriteFilesAsync(temp.Path, 320, 180, 1);
        await using var host = await ReceiverHost.StartAsync("--Receiver:Limits:IdleTimeoutSeconds=2");

        var result = await new AirPlaySenderSession(Options(host, annexB) with { Abort = new SenderAbort(SenderAbortStep.MidSetup, SenderAbortMode.Silent) { SilentHold = TimeSpan.FromSeconds(30) } })
            .RunAsync(cts.Token);

        Assert.True(result.Ok, result.Error);
        Assert.Equal("mid-setup:silent", result.AbortedAt);
        Assert.Equal(0, result.FramesSent);
        Assert.NotNull(result.SilentReclaimSeconds);
        Assert.InRange(result.SilentReclaimSeconds!.Value, 1.5, 25);
        Assert.True(await SessionsEndAsync(host, TimeSpan.FromSeconds(10)), "the receiver kept the silent sender's session");
    }

    [FfmpegFact]
    public async Task MidStreamSilent_GoesSilentAfterItsFrames_AndTheReceiverReclaimsItByTheSenderTimeout()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        using var temp = new SenderTempDirectory("abort-mid-silent");
        var (_, annexB) = await H264Clip.WriteFilesAsync(temp.Path, 320, 180, 3);
        await using var host = await ReceiverHost.StartAsync("--Receiver:Limits:SenderTimeoutSeconds=2");

        var result = await new AirPlaySenderSession(Options(host, annexB) with { Abort = new SenderAbort(SenderAbortStep.MidStream, SenderAbortMode.Silent) { AfterFrames = 30, SilentHold = TimeSpan.FromSeconds(30) } })
            .RunAsync(cts.Token);

        Assert.True(result.Ok, result.Error);
        Assert.Equal("mid-stream:silent", result.AbortedAt);
        Assert.Equal(30, result.FramesSent);
        Assert.DoesNotContain(result.Steps, s => s.Name.StartsWith("teardown", StringComparison.Ordinal) || s.Name.StartsWith("frozen", StringComparison.Ordinal));
        Assert.InRange(result.SilentReclaimSeconds!.Value, 1.5, 6);
        Assert.True(await SessionsEndAsync(host, TimeSpan.FromSeconds(10)), "the receiver kept the silent sender's session");
    }

    [Theory]
    [InlineData(2.9, 10, 0, false)]
    [InlineData(3.0, 10, 0, true)]
    [InlineData(0.5, 12, 0, true)]
    [InlineData(0.5, 0, 20, true)]
    public void StreamStopPoint_IsDueAtWhicheverComesFirst(double seconds, long frames, long packets, bool due) =>
        Assert.Equal(due, new StreamStopPoint { AfterStreaming = TimeSpan.FromSeconds(3), AfterFrames = 12, AfterAudioPackets = 20 }.IsDue(TimeSpan.FromSeconds(seconds), frames, packets));

    [Fact]
    public void StreamStopPoint_OfFreezeAndAbort_TakesTimeFramesOrPackets()
    {
        var options = new SenderOptions
        {
            Host = "127.0.0.1",
            Video = VideoSourceSpec.ForFile("clip.h264", 30),
            FairPlayFile = SenderTestMedia.FairPlayFile,
            FreezeAfter = TimeSpan.FromSeconds(3),
            Abort = new SenderAbort(SenderAbortStep.MidAudio, SenderAbortMode.Silent) { AfterAudioPackets = 7 },
        };
        Assert.Equal(new StreamStopPoint { AfterStreaming = TimeSpan.FromSeconds(3) }, StreamStopPoint.Freeze(options));
        Assert.Equal(new StreamStopPoint { AfterAudioPackets = 7 }, StreamStopPoint.Abort(options));
        Assert.Null(StreamStopPoint.Abort(options with { Abort = new SenderAbort(SenderAbortStep.MidSetup, SenderAbortMode.Silent) }));
        Assert.Null(StreamStopPoint.Freeze(options with { FreezeAfter = null }));
    }

    private static SenderOptions Options(ReceiverHost host, string clip) => new()
    {
        Host = "127.0.0.1",
        Port = host.ControlPort,
        Video = VideoSourceSpec.ForFile(clip, 30),
        FairPlayFile = SenderTestMedia.FairPlayFile,
        AudioFramesFile = SenderTestMedia.AudioFrames,
    };

    private static async Task<bool> SessionsEndAsync(ReceiverHost host, TimeSpan timeout)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        while (host.Sessions.Count > 0 && watch.Elapsed < timeout)
        {
            await Task.Delay(50);
        }

        return host.Sessions.Count == 0;
    }
}
