using Receiver.Core.Plist;
using Receiver.Core.Sessions;
using static Receiver.Core.Tests.Sessions.ControlSessionHarness;

namespace Receiver.Core.Tests.Sessions;

/// <summary>TEARDOWN and the connection's close in every state: streams and sessions released, endpoints closed.</summary>
public sealed class ControlSessionTeardownTests : IAsyncLifetime
{
    private readonly ControlSessionHarness _h = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _h.DisposeAsync();

    private static byte[] TeardownOf(params long[] types) =>
        BinaryPlist.Write(new PlistDict { ["streams"] = new PlistArray([.. types.Select(t => (PlistValue)new PlistDict { ["type"] = t })]) });

    [Fact]
    public async Task Teardown_BeforeAnything_Gets455()
    {
        Assert.Equal(455, (await _h.SendAsync("TEARDOWN", SessionUri)).StatusCode);
    }

    [Fact]
    public async Task Teardown_AfterFairPlayOnly_Gets455()
    {
        await _h.FairPlayAsync();

        Assert.Equal(455, (await _h.SendAsync("TEARDOWN", SessionUri, TeardownOf(96), PlistType)).StatusCode);
    }

    [Fact]
    public async Task Teardown_WithoutBody_EndsTheSession_AndClosesEveryEndpoint()
    {
        var session = await _h.StartSessionAsync();
        await _h.SetupAsync(Streams(VideoStream(), AudioStream()));
        _h.Events();
        _h.Time.Advance(TimeSpan.FromSeconds(10));

        var response = await _h.SendAsync("TEARDOWN", SessionUri);

        Assert.Equal(200, response.StatusCode);
        Assert.Equal("close", response.Headers["Connection"]);
        Assert.True(Assert.Single(_h.Endpoints.Audios).IsDisposed);
        Assert.True(Assert.Single(_h.Endpoints.Timings).IsDisposed);
        Assert.True(session.HasEnded);
        Assert.Equal(SessionEndReason.Teardown, session.EndReason);
        Assert.Equal(0, _h.Registry.Count);
        Assert.Equal(ControlSessionPhase.Ended, _h.Control.Phase);
        var ended = Assert.IsType<SessionEndedEvent>(Assert.Single(_h.Events()));
        Assert.Equal((SessionEndReason.Teardown, _h.Time.GetUtcNow()), (ended.Reason, ended.Timestamp));
    }

    [Fact]
    public async Task TeardownAudio_ClosesTheAudioEndpoint_AndTheSessionGoesOn()
    {
        var session = await _h.StartSessionAsync();
        await _h.SetupAsync(Streams(AudioStream()));
        _h.Events();

        var response = await _h.SendAsync("TEARDOWN", SessionUri, TeardownOf(96), PlistType);

        Assert.Equal(200, response.StatusCode);
        Assert.Equal("close", response.Headers["Connection"]);
        Assert.True(Assert.Single(_h.Endpoints.Audios).IsDisposed);
        Assert.False(Assert.Single(_h.Endpoints.Timings).IsDisposed);
        Assert.False(session.AudioActive);
        Assert.False(session.HasEnded);
        var ended = Assert.IsType<StreamEndedEvent>(Assert.Single(_h.Events()));
        Assert.Equal(StreamKind.Audio, ended.Kind);
    }

    [Fact]
    public async Task TeardownVideo_EndsTheVideoStream_AndTheSessionGoesOn()
    {
        var session = await _h.StartSessionAsync();
        await _h.SetupAsync(Streams(VideoStream()));
        var video = session.BeginVideo();
        _h.Events();

        var response = await _h.SendAsync("TEARDOWN", SessionUri, TeardownOf(110), PlistType);

        Assert.Equal(200, response.StatusCode);
        Assert.False(session.VideoActive);
        Assert.True(video.IsCancellationRequested);
        Assert.False(session.HasEnded);
        var ended = Assert.IsType<StreamEndedEvent>(Assert.Single(_h.Events()));
        Assert.Equal(StreamKind.Video, ended.Kind);
        Assert.Equal(ControlSessionPhase.SetUp, _h.Control.Phase);
    }

    [Fact]
    public async Task TeardownOfBothStreams_EndsBoth()
    {
        await _h.StartSessionAsync();
        await _h.SetupAsync(Streams(VideoStream(), AudioStream()));
        _h.Events();

        await _h.SendAsync("TEARDOWN", SessionUri, TeardownOf(96, 110), PlistType);

        Assert.Equal([StreamKind.Audio, StreamKind.Video], _h.Events().Cast<StreamEndedEvent>().Select(e => e.Kind));
    }

    [Theory]
    [InlineData(96L)]
    [InlineData(110L)]
    public async Task TeardownOfAStreamNeverSetUp_Gets200_AndChangesNothing(long type)
    {
        await _h.StartSessionAsync();
        _h.Events();

        Assert.Equal(200, (await _h.SendAsync("TEARDOWN", SessionUri, TeardownOf(type), PlistType)).StatusCode);
        Assert.Empty(_h.Events());
    }

    [Fact]
    public async Task TeardownAgain_AfterTheSessionEnded_Gets200_AndPublishesNothing()
    {
        await _h.StartSessionAsync();
        await _h.SendAsync("TEARDOWN", SessionUri);
        _h.Events();

        Assert.Equal(200, (await _h.SendAsync("TEARDOWN", SessionUri)).StatusCode);
        Assert.Empty(_h.Events());
        Assert.Equal(1, Assert.Single(_h.Endpoints.Timings).DisposeCount);
    }

    [Fact]
    public async Task RequestsAfterTheSessionEnded_Get455_AndOpenNothing()
    {
        await _h.StartSessionAsync();
        Assert.Equal(200, (await _h.SendAsync("TEARDOWN", SessionUri)).StatusCode);
        _h.Events();

        Assert.Equal(455, (await _h.SendAsync("RECORD", SessionUri)).StatusCode);
        Assert.Equal(455, (await _h.SendAsync("FLUSH", SessionUri)).StatusCode);
        Assert.Equal(455, (await _h.SendAsync("SET_PARAMETER", SessionUri, "volume: -20.000000\r\n"u8.ToArray(), "text/parameters")).StatusCode);
        Assert.Equal(455, (await _h.SetupAsync(ControlSessionHarness.Streams(ControlSessionHarness.AudioStream()))).StatusCode);
        Assert.Empty(_h.Endpoints.Audios);
        Assert.Empty(_h.Events());
    }

    [Theory]
    [InlineData("not a plist")]
    [InlineData("streams not array")]
    public async Task Teardown_MalformedBody_Gets400_AndKeepsTheSession(string fault)
    {
        var session = await _h.StartSessionAsync();
        var body = fault == "not a plist" ? "garbage"u8.ToArray() : BinaryPlist.Write(new PlistDict { ["streams"] = "all" });

        Assert.Equal(400, (await _h.SendAsync("TEARDOWN", SessionUri, body, PlistType)).StatusCode);
        Assert.False(session.HasEnded);
    }

    [Fact]
    public async Task Teardown_EntriesWithoutType_AreSkipped()
    {
        var session = await _h.StartSessionAsync();
        await _h.SetupAsync(Streams(AudioStream()));
        var body = BinaryPlist.Write(new PlistDict { ["streams"] = new PlistArray(1, new PlistDict { ["type"] = "96" }, new PlistDict { ["type"] = 96 }) });

        Assert.Equal(200, (await _h.SendAsync("TEARDOWN", SessionUri, body, PlistType)).StatusCode);
        Assert.True(Assert.Single(_h.Endpoints.Audios).IsDisposed);
        Assert.False(session.HasEnded);
    }

    [Fact]
    public async Task Close_BeforeSetup_EndsNothing()
    {
        await _h.FairPlayAsync();

        await _h.Control.CloseAsync(SessionEndReason.Disconnect);

        Assert.Empty(_h.Events());
        Assert.Equal(ControlSessionPhase.AwaitingSetup, _h.Control.Phase);
    }

    [Theory]
    [InlineData(SessionEndReason.Disconnect)]
    [InlineData(SessionEndReason.Timeout)]
    [InlineData(SessionEndReason.Shutdown)]
    public async Task Close_WithStreams_ClosesEveryEndpoint_AndEndsTheSessionWithTheReason(SessionEndReason reason)
    {
        var session = await _h.StartSessionAsync();
        await _h.SetupAsync(Streams(VideoStream(), AudioStream()));
        _h.Events();

        await _h.Control.CloseAsync(reason);

        Assert.True(Assert.Single(_h.Endpoints.Audios).IsDisposed);
        Assert.True(Assert.Single(_h.Endpoints.Timings).IsDisposed);
        Assert.Equal(reason, session.EndReason);
        Assert.Equal(reason, Assert.IsType<SessionEndedEvent>(Assert.Single(_h.Events())).Reason);
    }

    [Fact]
    public async Task Close_AfterTeardown_DoesNotEndTheSessionAgain()
    {
        var session = await _h.StartSessionAsync();
        await _h.SendAsync("TEARDOWN", SessionUri);
        _h.Events();

        await _h.Control.CloseAsync(SessionEndReason.Disconnect);

        Assert.Equal(SessionEndReason.Teardown, session.EndReason);
        Assert.Empty(_h.Events());
    }

    [Fact]
    public async Task Close_AfterTheSessionWasDisconnectedFromOutside_ClosesTheEndpoints()
    {
        var session = await _h.StartSessionAsync();
        await _h.SetupAsync(Streams(AudioStream()));
        session.End(SessionEndReason.Disconnect);
        Assert.Equal(ControlSessionPhase.Ended, _h.Control.Phase);
        _h.Events();

        await _h.Control.CloseAsync(SessionEndReason.Timeout);

        Assert.True(Assert.Single(_h.Endpoints.Audios).IsDisposed);
        Assert.True(Assert.Single(_h.Endpoints.Timings).IsDisposed);
        Assert.Equal(SessionEndReason.Disconnect, session.EndReason);
        Assert.Empty(_h.Events());
    }

    [Fact]
    public async Task Teardown_WithCancelledToken_OfAStream_Throws()
    {
        await _h.StartSessionAsync();
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
            await _h.Control.HandleAsync(Request("TEARDOWN", SessionUri, TeardownOf(96), PlistType), cancelled.Token));
    }
}
