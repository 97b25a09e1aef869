using Receiver.Core.Control;
using Receiver.Core.Plist;
using Receiver.Core.Rtsp;
using Receiver.Core.Sessions;

namespace Receiver.Core.Tests.Sessions;

/// <summary>What the control session does not serve as asked: fp-setup2, PTP timing, a remote-control-only SETUP.</summary>
public sealed class ControlSessionRefusalTests
{
    private static readonly byte[] FairPlayV2 = [0x46, 0x50, 0x4C, 0x59, 0x02, 0x01, 0x01, 0x00, 0x00, 0x00, 0x00, 0x04, 0x02, 0x00, 0x00, 0x00];

    [Fact]
    public async Task FpSetup2_Answers421MisdirectedRequest_AndPublishesWhy()
    {
        await using var harness = new ControlSessionHarness();

        var response = await harness.SendAsync("POST", "/fp-setup2", FairPlayV2, ControlSessionHarness.OctetStream, ("X-Apple-Device-ID", "0xaabbccddeeff"));

        Assert.Equal(421, response.StatusCode);
        Assert.Equal("Misdirected Request", RtspStatus.ReasonPhrase(response.StatusCode));
        Assert.False(response.CloseConnection);
        var notice = Assert.IsType<SenderNoticeEvent>(Assert.Single(harness.Events()));
        Assert.Equal(SenderNoticeKind.ProtectedContent, notice.Kind);
        Assert.Equal(string.Empty, notice.SessionId);
        Assert.Equal("0xaabbccddeeff", notice.DeviceId);
        Assert.Contains("version byte 2", notice.Detail, StringComparison.Ordinal);
        Assert.Null(harness.Control.Session);

        // The sender falls back to screen mirroring on the same connection.
        await harness.StartSessionAsync();
    }

    [Fact]
    public async Task FpSetup2_EmptyBody_StillAnswered421()
    {
        await using var harness = new ControlSessionHarness();
        Assert.Equal(421, (await harness.SendAsync("POST", "/fp-setup2")).StatusCode);
    }

    [Fact]
    public async Task PtpSessionSetup_StartsTheSessionWithoutATimingClient_AndPublishesWhy()
    {
        await using var harness = new ControlSessionHarness();
        await harness.FairPlayAsync();
        var keys = new PlistDict(ControlSessionHarness.SessionKeysPlist(timingPort: 7010)) { ["timingProtocol"] = "PTP" };

        var response = await harness.SetupAsync(keys);

        Assert.Equal(200, response.StatusCode);
        Assert.Equal(0, ControlSessionHarness.ReplyPlist(response).GetInt64("timingPort"));
        Assert.Empty(harness.Endpoints.Timings);
        var session = Assert.IsType<MirroringSession>(harness.Control.Session);
        var notice = Assert.Single(harness.Events().OfType<SenderNoticeEvent>());
        Assert.Equal((SenderNoticeKind.PtpTiming, session.Id), (notice.Kind, notice.SessionId));
    }

    [Fact]
    public async Task NtpSessionSetup_PublishesNoNotice()
    {
        await using var harness = new ControlSessionHarness();
        await harness.StartSessionAsync();
        Assert.Single(harness.Endpoints.Timings);
        Assert.Empty(harness.Events().OfType<SenderNoticeEvent>());
    }

    [Fact]
    public async Task RemoteControlOnlySetup_Accepted_NoSessionStarted_StreamsRefused_TeardownAnswered()
    {
        await using var harness = new ControlSessionHarness();
        var setup = new PlistDict { ["isRemoteControlOnly"] = true, ["timingProtocol"] = "None", ["sessionUUID"] = "A", ["deviceID"] = "AA:BB:CC:DD:EE:FF" };

        var response = await harness.SetupAsync(setup);

        Assert.Equal(200, response.StatusCode);
        Assert.Equal(0, ControlSessionHarness.ReplyPlist(response).GetInt64("eventPort"));
        Assert.Null(harness.Control.Session);
        Assert.Equal(0, harness.Registry.Count);
        var notice = Assert.IsType<SenderNoticeEvent>(Assert.Single(harness.Events()));
        Assert.Equal(SenderNoticeKind.RemoteControlOnly, notice.Kind);
        Assert.Equal(200, (await harness.SendAsync("POST", "/feedback")).StatusCode);
        Assert.Equal(RtspStatus.MethodNotValidInThisState, (await harness.SetupAsync(ControlSessionHarness.Streams(ControlSessionHarness.VideoStream()))).StatusCode);
        Assert.Equal(RtspStatus.MethodNotValidInThisState, (await harness.SendAsync("RECORD", ControlSessionHarness.SessionUri)).StatusCode);

        var teardown = await harness.SendAsync("TEARDOWN", ControlSessionHarness.SessionUri, BinaryPlist.Write(new PlistDict()), ControlSessionHarness.PlistType);
        Assert.Equal(200, teardown.StatusCode);
        Assert.Equal("close", teardown.Headers["Connection"]);
        Assert.Empty(harness.Events());
    }

    [Fact]
    public async Task RemoteControlOnlySetup_AfterTheMirroringSession_Is455()
    {
        await using var harness = new ControlSessionHarness();
        await harness.StartSessionAsync();
        var response = await harness.SetupAsync(new PlistDict { ["isRemoteControlOnly"] = true });
        Assert.Equal(RtspStatus.MethodNotValidInThisState, response.StatusCode);
    }

    [Fact]
    public void SetupRequest_RemoteControlOnly_IgnoresKeysAndStreams()
    {
        var request = SetupRequest.Parse(new PlistDict(ControlSessionHarness.SessionKeysPlist()) { ["isRemoteControlOnly"] = true });
        Assert.True(request.RemoteControlOnly);
        Assert.Null(request.SessionPart);
        Assert.Empty(request.StreamParts);

        var notRemote = SetupRequest.Parse(new PlistDict(ControlSessionHarness.SessionKeysPlist()) { ["isRemoteControlOnly"] = false });
        Assert.False(notRemote.RemoteControlOnly);
        Assert.NotNull(notRemote.SessionPart);
    }
}
