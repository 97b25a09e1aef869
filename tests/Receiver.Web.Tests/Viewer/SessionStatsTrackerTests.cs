using System.Net;
using Microsoft.Extensions.Time.Testing;
using Receiver.Core.Sessions;
using Receiver.Web.Metrics;

namespace Receiver.Web.Tests.Viewer;

/// <summary>The hub's and REST's <see cref="SessionStats"/> figures, driven with a fake clock and no sockets.</summary>
public sealed class SessionStatsTrackerTests
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-12-01T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture));

    [Fact]
    public void Sample_ReportsReceiverLatencyOfTheInterval_ThenNothingUntilNewSends()
    {
        var (tracker, session) = Start();
        foreach (var ms in new[] { 0.2, 0.4, 0.1, 3.0, 0.3 })
        {
            session.ReceiverLatency.Add(ms);
        }

        _time.Advance(TimeSpan.FromSeconds(1));
        var stats = Assert.Single(tracker.Sample());
        Assert.Equal(new Receiver.Core.Timing.LatencySummary(0.3, 3.0, 3.0, 3.0, 5), stats.ReceiverLatency);
        Assert.Same(stats, tracker.StatsOf(session));

        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Null(Assert.Single(tracker.Sample()).ReceiverLatency);
    }

    [Fact]
    public void Sample_CaptureLatencyBelowZero_IsReportedAsZero()
    {
        var (tracker, session) = Start();
        session.CaptureLatency.Add(-250);
        session.CaptureLatency.Add(-3);
        session.CaptureLatency.Add(-1);

        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(0, Assert.Single(tracker.Sample()).LatencyMs);
    }

    [Fact]
    public void Sample_RatesFollowTheInjectedClock_AndNeverGoNegative()
    {
        var (tracker, session) = Start();
        _time.Advance(TimeSpan.FromSeconds(2));
        var stats = Assert.Single(tracker.Sample());
        Assert.Equal(0, stats.Fps);
        Assert.Equal(0, stats.BitrateBps);
        Assert.Equal(0, stats.AudioFrames);
        Assert.Equal(0, stats.AudioDropped);
        Assert.Null(stats.AudioOffsetMs);

        // A sample with no time elapsed (two reads at once) reports no rate rather than dividing by zero.
        Assert.Equal(0, Assert.Single(tracker.Sample()).Fps);
    }

    [Fact]
    public void StatsOf_BeforeTheFirstSample_HasCountsAndNoLatency()
    {
        var (tracker, session) = Start();
        var stats = tracker.StatsOf(session);
        Assert.Equal(session.Id, stats.SessionId);
        Assert.Null(stats.LatencyMs);
        Assert.Null(stats.ReceiverLatency);
    }

    private (SessionStatsTracker Tracker, MirroringSession Session) Start()
    {
        var registry = new SessionRegistry(new SessionEventHub(), _time);
        var session = registry.Start(new SenderInfo("AA:BB:CC:DD:EE:01", "Test iPhone", "iPhone15,2", "iPhone OS", "18.1", "830.5.1", "127.0.0.1"), "airplay", IPAddress.Loopback);
        var tracker = new SessionStatsTracker(_time);
        tracker.Track(session);
        return (tracker, session);
    }
}
