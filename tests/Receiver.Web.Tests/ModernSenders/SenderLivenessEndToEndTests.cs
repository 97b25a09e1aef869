using System.Net.Http.Json;
using Receiver.Core.Sessions;
using Receiver.Sender.Sessions;
using Receiver.Web.Api;
using Receiver.Web.Tests.Infrastructure;
using Receiver.Web.Tests.Sender;
using Xunit.Abstractions;

namespace Receiver.Web.Tests.ModernSenders;

/// <summary>
/// The sender simulator against a receiver with a short <c>Receiver:Limits:SenderTimeoutSeconds</c>: a sender frozen
/// mid-stream loses its session within the limit plus two seconds with nothing left behind
/// (<see cref="SenderWithoutTimingRepliesTests"/>: a sender that never answers timing requests keeps it).
/// </summary>
[Collection(SerialCollection.Name)]
public sealed class SenderLivenessEndToEndTests(ITestOutputHelper output)
{
    private const int TimeoutSeconds = 3;

    [FfmpegFact]
    public async Task FrozenSender_WithConnectionsOpen_SessionEndsWithTimeoutWithinTheLimitPlusTwoSeconds_NothingLeft()
    {
        await using var host = await ReceiverHost.StartAsync($"--Receiver:Limits:SenderTimeoutSeconds={TimeoutSeconds}");
        using var events = host.Events.Subscribe();
        var udpBefore = ProcessResources.UdpSockets();
        var ffmpegBefore = ProcessResources.FfmpegChildren();
        var options = SenderTestMedia.LiveAudioOptions(host.ControlPort, 60) with
        {
            FreezeAfter = TimeSpan.FromSeconds(3),
            FreezeWait = TimeSpan.FromSeconds(30),
            FeedbackInterval = TimeSpan.FromSeconds(1),
        };
        var sessionSeen = Task.Run(async () =>
        {
            await Eventually.TrueAsync(() => host.Sessions.Count == 1 && host.Sessions.Sessions.Single().AudioActive);
            return (ProcessResources.FfmpegChildren(), host.Sessions.Sessions.Single().Id);
        });

        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var result = await new AirPlaySenderSession(options).RunAsync(cts.Token);
        var (ffmpegWhileStreaming, sessionId) = await sessionSeen;

        foreach (var step in result.Steps)
        {
            output.WriteLine($"{step.Name}: {(step.Ok ? "ok" : "FAILED")} {step.DurationMs:F0} ms {step.Detail}");
        }

        Assert.True(result.Ok, result.Error);
        Assert.True(result.FramesSent > 60, $"{result.FramesSent} frames before the freeze");
        Assert.True(ffmpegWhileStreaming > ffmpegBefore, "the audio transcoder was not running while the sender streamed");

        // From the freeze to the receiver closing the control connection: the limit, one check interval, the close.
        var frozen = result.Steps.Single(s => s.Name == "frozen");
        Assert.InRange(frozen.DurationMs, (TimeoutSeconds - 0.5) * 1000, (TimeoutSeconds + 2) * 1000);
        var frozenVideo = result.Steps.Single(s => s.Name == "frozen-video");
        Assert.True(frozenVideo.Ok);
        Assert.True(frozen.DurationMs + frozenVideo.DurationMs <= (TimeoutSeconds + 2) * 1000, $"video connection closed {frozen.DurationMs + frozenVideo.DurationMs:F0} ms after the freeze");

        var ended = ReadEvents(events).OfType<SessionEndedEvent>().Single(e => e.SessionId == sessionId);
        Assert.Equal(SessionEndReason.Timeout, ended.Reason);
        using var http = new HttpClient { BaseAddress = host.WebUrl };
        var recent = await http.GetFromJsonAsync<EndedSessionSummary[]>("/api/sessions/ended");
        Assert.Equal("timeout", Assert.Single(recent!, s => s.Id == sessionId).Reason);

        Assert.Equal(0, host.Sessions.Count);
        await Eventually.TrueAsync(() => ProcessResources.FfmpegChildren() == ffmpegBefore, TimeSpan.FromSeconds(10));
        await Eventually.TrueAsync(() => ProcessResources.UdpSockets() == udpBefore, TimeSpan.FromSeconds(10));
        output.WriteLine($"frozen → control closed {frozen.DurationMs:F0} ms (limit {TimeoutSeconds} s); ffmpeg {ffmpegBefore} → {ffmpegWhileStreaming} → {ProcessResources.FfmpegChildren()}; UDP sockets back to {udpBefore}");
    }

    internal static List<SessionEvent> ReadEvents(SessionEventHub.Subscription events)
    {
        var list = new List<SessionEvent>();
        while (events.Reader.TryRead(out var sessionEvent))
        {
            list.Add(sessionEvent);
        }

        return list;
    }
}
