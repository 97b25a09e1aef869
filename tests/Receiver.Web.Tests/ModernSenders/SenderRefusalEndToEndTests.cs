using System.Net.Http.Json;
using Receiver.Core.Sessions;
using Receiver.Sender.Sessions;
using Receiver.Web.Api;
using Receiver.Web.Hubs;
using Receiver.Web.Tests.Admin;
using Receiver.Web.Tests.Infrastructure;
using Receiver.Web.Tests.Sender;
using Xunit.Abstractions;

namespace Receiver.Web.Tests.ModernSenders;

/// <summary>
/// What the receiver does not serve, asked for by the simulator: protected content (<c>fp-setup2</c>) is refused
/// with 421 and mirroring goes on; PTP timing runs the session without a clock exchange; a remote-control-only
/// SETUP is accepted without a mirroring session. Each is one hub <c>SenderNotice</c> that says why.
/// </summary>
[Collection(SerialCollection.Name)]
public sealed class SenderRefusalEndToEndTests(ITestOutputHelper output)
{
    [FfmpegFact]
    public async Task FpSetup2_Answered421WithANotice_ThenMirroringGoesOn()
    {
        await using var host = await ReceiverHost.StartAsync();
        await using var hub = await HubClient.ConnectAsync(host.WebUrl);
        var options = SenderTestMedia.LiveAudioOptions(host.ControlPort, 2) with { Audio = false, FpSetup2 = true };

        var result = await new AirPlaySenderSession(options).RunAsync(CancellationToken.None);

        Assert.True(result.Ok, result.Error);
        Assert.Equal(421, result.Steps.Single(s => s.Name == "fp-setup2").Status);
        Assert.True(result.FramesSent > 0);
        var notice = await hub.WaitForAsync<SenderNoticeMessage>(nameof(ISessionsClient.SenderNotice));
        Assert.Equal("protectedContent", notice.Kind);
        Assert.Null(notice.SessionId);
        Assert.Equal("0x" + result.DeviceId.Replace(":", "", StringComparison.Ordinal).ToLowerInvariant(), notice.DeviceId);
        Assert.Contains("FairPlay v2", notice.Detail, StringComparison.Ordinal);
        Assert.Single(hub.Log, m => m.StartsWith(nameof(ISessionsClient.SenderNotice), StringComparison.Ordinal));
        output.WriteLine(notice.Detail);
    }

    [FfmpegFact]
    public async Task PtpTiming_SessionRunsWithoutClockExchange_WithANotice()
    {
        await using var host = await ReceiverHost.StartAsync();
        await using var hub = await HubClient.ConnectAsync(host.WebUrl);
        MirroringSession? session = null;
        host.Sessions.SessionCreated += s => session = s;
        var options = SenderTestMedia.LiveAudioOptions(host.ControlPort, 3) with { TimingProtocol = "PTP" };

        var result = await new AirPlaySenderSession(options).RunAsync(CancellationToken.None);

        Assert.True(result.Ok, result.Error);
        Assert.Equal(0, result.TimingRequestsAnswered + result.TimingRequestsIgnored);
        Assert.NotNull(session);
        Assert.True(session.FramesReceived >= 60, $"{session.FramesReceived} frames");
        Assert.True(session.Media.AudioFramesPublished > 100, $"{session.Media.AudioFramesPublished} audio frames");
        var notice = await hub.WaitForAsync<SenderNoticeMessage>(nameof(ISessionsClient.SenderNotice));
        Assert.Equal("ptpTiming", notice.Kind);
        Assert.Equal(session.Id, notice.SessionId);
        Assert.Contains("PTP", notice.Detail, StringComparison.Ordinal);
    }

    [FfmpegFact]
    public async Task RemoteControlOnly_AcceptedWithoutAMirroringSession_WithANotice()
    {
        await using var host = await ReceiverHost.StartAsync();
        await using var hub = await HubClient.ConnectAsync(host.WebUrl);
        using var events = host.Events.Subscribe();
        var created = 0;
        host.Sessions.SessionCreated += _ => Interlocked.Increment(ref created);
        var udpBefore = ProcessResources.UdpSockets();
        var options = SenderTestMedia.LiveAudioOptions(host.ControlPort, 1) with { RemoteControlOnly = true, FeedbackInterval = TimeSpan.FromMilliseconds(300) };

        var sending = new AirPlaySenderSession(options).RunAsync(CancellationToken.None);
        var notice = await hub.WaitForAsync<SenderNoticeMessage>(nameof(ISessionsClient.SenderNotice));
        using var http = new HttpClient { BaseAddress = host.WebUrl };
        var listed = await http.GetFromJsonAsync<SessionSummary[]>("/api/sessions");
        var result = await sending;

        Assert.True(result.Ok, result.Error);
        Assert.Equal(200, result.Steps.Single(s => s.Name == "setup-remote-control").Status);
        Assert.Equal(200, result.Steps.Single(s => s.Name == "teardown").Status);
        Assert.Equal("remoteControlOnly", notice.Kind);
        Assert.Null(notice.SessionId);
        Assert.Empty(listed!);
        Assert.Equal(0, created);
        Assert.Equal(0, host.Sessions.Count);
        Assert.False(events.Reader.TryRead(out var sessionEvent) && sessionEvent is not SenderNoticeEvent, $"unexpected {sessionEvent}");
        Assert.Equal(udpBefore, ProcessResources.UdpSockets());
    }
}
