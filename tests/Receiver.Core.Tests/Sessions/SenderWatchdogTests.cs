using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using Receiver.Core.Sessions;

namespace Receiver.Core.Tests.Sessions;

public sealed class SenderWatchdogTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task SilentSender_SessionEndsWithTimeoutOnceTheLimitPasses()
    {
        await using var harness = new ControlSessionHarness();
        var session = await harness.StartSessionAsync();
        using var watchdog = new SenderWatchdog(harness.Registry, Timeout, NullLogger<SenderWatchdog>.Instance);
        harness.Events();

        harness.Time.Advance(Timeout - TimeSpan.FromSeconds(1));
        Assert.False(session.HasEnded);

        harness.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(session.HasEnded);
        Assert.Equal(SessionEndReason.Timeout, session.EndReason);
        Assert.True(session.Ended.IsCancellationRequested);
        var ended = Assert.IsType<SessionEndedEvent>(Assert.Single(harness.Events()));
        Assert.Equal(SessionEndReason.Timeout, ended.Reason);
        Assert.Equal(0, harness.Registry.Count);
        var recent = Assert.Single(harness.Registry.RecentlyEnded);
        Assert.Equal((session.Id, SessionEndReason.Timeout), (recent.Id, recent.Reason));
    }

    [Fact]
    public async Task FeedbackEverySecondsWithoutTimingReplies_KeepsTheSessionForMinutes()
    {
        await using var harness = new ControlSessionHarness();
        var session = await harness.StartSessionAsync();
        using var watchdog = new SenderWatchdog(harness.Registry, Timeout, NullLogger<SenderWatchdog>.Instance);

        for (var second = 0; second < 120; second += 2)
        {
            harness.Time.Advance(TimeSpan.FromSeconds(2));
            Assert.Equal(200, (await harness.SendAsync("POST", "/feedback")).StatusCode);
        }

        Assert.False(session.HasEnded);
        harness.Time.Advance(Timeout);
        Assert.Equal(SessionEndReason.Timeout, session.EndReason);
    }

    [Fact]
    public async Task DatagramsFromTheSender_CountAsHeard_OthersDoNot()
    {
        await using var harness = new ControlSessionHarness();
        var session = await harness.StartSessionAsync();
        using var watchdog = new SenderWatchdog(harness.Registry, Timeout, NullLogger<SenderWatchdog>.Instance);

        for (var second = 0; second < 60; second++)
        {
            harness.Time.Advance(TimeSpan.FromSeconds(1));
            Assert.True(session.SenderDatagrams.Accept(new IPEndPoint(ControlSessionHarness.Remote.Address, 6000)));
        }

        Assert.False(session.HasEnded);
        for (var second = 0; second < 15; second++)
        {
            harness.Time.Advance(TimeSpan.FromSeconds(1));
            Assert.False(session.SenderDatagrams.Accept(new SocketAddress(AddressFamily.InterNetwork)));
        }

        Assert.Equal(SessionEndReason.Timeout, session.EndReason);
    }

    [Fact]
    public async Task EndedSession_IsNotEndedAgain()
    {
        await using var harness = new ControlSessionHarness();
        var session = await harness.StartSessionAsync();
        using var watchdog = new SenderWatchdog(harness.Registry, Timeout, NullLogger<SenderWatchdog>.Instance);
        await harness.SendAsync("TEARDOWN", ControlSessionHarness.SessionUri);
        harness.Events();

        harness.Time.Advance(Timeout * 2);

        Assert.Equal(SessionEndReason.Teardown, session.EndReason);
        Assert.Empty(harness.Events());
        Assert.Equal(0, watchdog.Check());
    }

    [Fact]
    public void CheckInterval_IsAQuarterOfTheTimeoutAtMostOneSecond()
    {
        var registry = new SessionRegistry(new SessionEventHub(), TimeProvider.System);
        using var shortOne = new SenderWatchdog(registry, TimeSpan.FromSeconds(2), NullLogger<SenderWatchdog>.Instance);
        using var longOne = new SenderWatchdog(registry, TimeSpan.FromSeconds(15), NullLogger<SenderWatchdog>.Instance);
        Assert.Equal(TimeSpan.FromMilliseconds(500), shortOne.CheckInterval);
        Assert.Equal(TimeSpan.FromSeconds(1), longOne.CheckInterval);
    }
}
