using Receiver.Core.Sessions;
using Receiver.Sender.Sessions;
using Receiver.Web.Tests.Infrastructure;
using Receiver.Web.Tests.Sender;
using Xunit.Abstractions;

namespace Receiver.Web.Tests.ModernSenders;

/// <summary>
/// Every <c>--profile</c> of the simulator against the receiver: the session starts with the profile's sender,
/// streams video and sound, ends by the profile's own TEARDOWN form, and leaves no session, UDP socket or ffmpeg
/// process behind. The profile's timing behaviour (none, one reply, all) is what the sender did.
/// </summary>
[Collection(SerialCollection.Name)]
public sealed class SenderProfileEndToEndTests(ITestOutputHelper output)
{
    public static TheoryData<string> Profiles => [.. SenderProfiles.Names];

    [FfmpegTheory]
    [MemberData(nameof(Profiles))]
    public async Task Profile_SessionStartsStreamsAndEndsCleanly(string name)
    {
        var profile = SenderProfiles.Get(name);
        await using var host = await ReceiverHost.StartAsync("--Receiver:Limits:SenderTimeoutSeconds=5");
        using var events = host.Events.Subscribe();
        MirroringSession? session = null;
        host.Sessions.SessionCreated += s => session = s;
        var udpBefore = ProcessResources.UdpSockets();
        var ffmpegBefore = ProcessResources.FfmpegChildren();
        var options = profile.ApplyTo(SenderTestMedia.LiveAudioOptions(host.ControlPort, 6) with { Audio = profile.Audio });

        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var result = await new AirPlaySenderSession(options).RunAsync(cts.Token);
        foreach (var step in result.Steps)
        {
            output.WriteLine($"{step.Name}: {(step.Ok ? "ok" : "FAILED")} {step.Status} {step.DurationMs:F0} ms {step.Detail}");
        }

        Assert.True(result.Ok, result.Error);
        Assert.NotNull(session);
        Assert.Equal(profile.Model, session.Sender.Model);
        Assert.Equal(profile.OsVersion, session.Sender.OsVersion);
        Assert.Equal(profile.SourceVersion, session.Sender.SourceVersion);
        Assert.True(session.FramesReceived >= 150, $"{session.FramesReceived} video frames received");
        if (profile.Audio)
        {
            Assert.True(session.Media.AudioFramesPublished > 200, $"{session.Media.AudioFramesPublished} audio frames published");
        }

        Assert.Equal(SessionEndReason.Teardown, session.EndReason);
        var stepNames = result.Steps.Select(s => s.Name).ToList();
        if (profile.Teardown == SenderTeardown.SessionOnly)
        {
            Assert.DoesNotContain("teardown-video", stepNames);
            Assert.DoesNotContain("teardown-audio", stepNames);
        }
        else
        {
            Assert.Contains("teardown-video", stepNames);
        }

        Assert.DoesNotContain("info", stepNames);
        Assert.True(result.TimingRequestsAnswered <= (profile.TimingReplies ? profile.TimingReplyLimit ?? int.MaxValue : 0),
            $"{result.TimingRequestsAnswered} timing replies");
        var ended = new List<SessionEvent>();
        while (events.Reader.TryRead(out var sessionEvent))
        {
            ended.Add(sessionEvent);
        }

        Assert.Equal(SessionEndReason.Teardown, Assert.Single(ended.OfType<SessionEndedEvent>()).Reason);
        Assert.Empty(ended.OfType<SenderNoticeEvent>());
        Assert.Equal(0, host.Sessions.Count);
        await Eventually.TrueAsync(() => ProcessResources.FfmpegChildren() == ffmpegBefore, TimeSpan.FromSeconds(10));
        await Eventually.TrueAsync(() => ProcessResources.UdpSockets() == udpBefore, TimeSpan.FromSeconds(10));
        output.WriteLine($"{name}: {session.FramesReceived} frames, {session.Media.AudioFramesPublished} audio frames, {result.TimingRequestsAnswered} timing replies of {result.TimingRequestsAnswered + result.TimingRequestsIgnored}, clock {result.Clock}");
    }
}
