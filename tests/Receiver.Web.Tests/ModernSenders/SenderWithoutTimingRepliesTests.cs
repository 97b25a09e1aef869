using Receiver.Core.Sessions;
using Receiver.Sender.Sessions;
using Receiver.Web.Tests.Infrastructure;
using Receiver.Web.Tests.Sender;
using Xunit.Abstractions;

namespace Receiver.Web.Tests.ModernSenders;

/// <summary>
/// A Mac on macOS 15.2 or later never answers the receiver's timing requests. Played by the simulator's
/// <c>macos15</c> profile, with sound, for two minutes against the default <c>SenderTimeoutSeconds</c> (15): the
/// session lives on what the sender does send (<c>/feedback</c>, video, audio) and ends by the sender's own TEARDOWN.
/// Not in the serial collection: two minutes of a light stream run alongside the other tests.
/// </summary>
public sealed class SenderWithoutTimingRepliesTests(ITestOutputHelper output)
{
    private const int StreamSeconds = 120;

    [FfmpegFact]
    public async Task Macos15Sender_NeverAnsweringTiming_StreamsTwoMinutesWithoutLosingItsSession()
    {
        await using var host = await ReceiverHost.StartAsync("--Receiver:Limits:SenderTimeoutSeconds=15");
        using var events = host.Events.Subscribe();
        MirroringSession? session = null;
        host.Sessions.SessionCreated += s => session = s;
        var profile = SenderProfiles.Get("macos15");
        var options = profile.ApplyTo(SenderTestMedia.LiveAudioOptions(host.ControlPort, StreamSeconds) with
        {
            Video = Receiver.Sender.Video.VideoSourceSpec.ParsePattern("320x240@15"),
        });

        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(StreamSeconds + 90));
        var result = await new AirPlaySenderSession(options).RunAsync(cts.Token);

        Assert.True(result.Ok, result.Error);
        Assert.Equal(0, result.TimingRequestsAnswered);
        Assert.True(result.TimingRequestsIgnored > 0, "the receiver sent no timing request");
        Assert.True(result.DurationSeconds >= StreamSeconds - 1, $"{result.DurationSeconds:F1} s streamed");
        Assert.NotNull(session);
        Assert.True(session.FramesReceived >= StreamSeconds * 15 * 9 / 10, $"{session.FramesReceived} video frames received");
        Assert.True(session.Media.AudioFramesPublished > StreamSeconds * 40, $"{session.Media.AudioFramesPublished} audio frames published");
        var ended = Assert.Single(SenderLivenessEndToEndTests.ReadEvents(events).OfType<SessionEndedEvent>());
        Assert.Equal(SessionEndReason.Teardown, ended.Reason);
        output.WriteLine($"{result.DurationSeconds:F1} s streamed with sound, {session.FramesReceived} frames, {result.TimingRequestsIgnored} timing requests unanswered, ended by {ended.Reason}");
    }
}
