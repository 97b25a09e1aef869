using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Receiver.Core.Media;
using Receiver.Core.Sessions;
using Receiver.Sender.Sessions;
using Receiver.Sender.Video;
using Receiver.Web.Tests.Infrastructure;
using Receiver.Web.Tests.Sender;
using Xunit.Abstractions;

namespace Receiver.Web.Tests.Audio;

/// <summary>A session whose audio transcoder the CPU watchdog kills goes on mirroring, without sound.</summary>
[Collection(SerialCollection.Name)]
public sealed class TranscoderWatchdogEndToEndTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly SenderTempDirectory _temp = new("watchdog");
    private string _clip = string.Empty;

    public async Task InitializeAsync() => (_, _clip) = await H264Clip.WriteFilesAsync(_temp.Path, 320, 180, 4);

    public Task DisposeAsync()
    {
        _temp.Dispose();
        return Task.CompletedTask;
    }

    [FfmpegFact]
    public async Task TranscoderKilledForItsCpu_SessionGoesOnWithoutSound_AndLeavesNoFfmpeg()
    {
        // No transcoder decodes on 0.01 % of a core: this receiver's watchdog stops every one within its first second.
        var watchdog = new FfmpegCpuWatchdog(0.01, TimeSpan.FromMilliseconds(500), TimeProvider.System, NullLogger.Instance);
        await using var host = await ReceiverHost.StartAsync(services => services.AddSingleton(watchdog));
        MirroringSession? session = null;
        host.Sessions.SessionCreated += s => session = s;
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(1));

        var result = await new AirPlaySenderSession(new SenderOptions
        {
            Host = "127.0.0.1",
            Port = host.ControlPort,
            Video = VideoSourceSpec.ForFile(_clip, 30),
            Audio = true,
            AudioFramesFile = SenderTestMedia.AudioFrames,
            FairPlayFile = SenderTestMedia.FairPlayFile,
            StepTimeout = TimeSpan.FromSeconds(30),
        }).RunAsync(cts.Token);
        output.WriteLine($"{result.FramesSent} frames sent, {session?.FramesReceived} received; transcoders killed {watchdog.Killed}");

        Assert.True(result.Ok, result.Error);
        Assert.NotNull(session);
        Assert.InRange(watchdog.Killed, 1, 2);
        // The pictures kept coming after the sound stopped: every frame the sender sent arrived.
        await Eventually.TrueAsync(() => session.FramesReceived == result.FramesSent, TimeSpan.FromSeconds(10));
        Assert.Equal(SessionEndReason.Teardown, session.EndReason);
        await Eventually.TrueAsync(() => ProcessResources.FfmpegChildren() == 0, TimeSpan.FromSeconds(10));
    }
}
