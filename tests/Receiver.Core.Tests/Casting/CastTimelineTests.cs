using Receiver.Core.Casting;

namespace Receiver.Core.Tests.Casting;

public sealed class CastTimelineTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void ALoadingCast_HoldsItsPosition_UntilTheLeadingPagePlays()
    {
        var timeline = new CastTimeline(3, T0);
        Assert.Equal(3, timeline.PositionAt(T0.AddSeconds(5)));
        Assert.True(timeline.FollowLeader(3.1, playing: true, T0.AddSeconds(5), 0.2));
        Assert.Equal(CastState.Playing, timeline.State);
        Assert.Equal(5.1, timeline.PositionAt(T0.AddSeconds(7)), 6);
    }

    [Fact]
    public void PauseSeekAndResume_MoveTheTimeline_AndEachIsANewVersion()
    {
        var timeline = new CastTimeline(0, T0);
        timeline.FollowLeader(0, true, T0, 0.2);
        var version = timeline.Version;
        timeline.SetRate(0, T0.AddSeconds(4));
        Assert.Equal(CastState.Paused, timeline.State);
        Assert.Equal(4, timeline.PositionAt(T0.AddSeconds(9)), 6);
        timeline.Seek(6, T0.AddSeconds(9));
        Assert.Equal(6, timeline.PositionAt(T0.AddSeconds(10)), 6);
        timeline.SetRate(1, T0.AddSeconds(10));
        Assert.Equal(7.5, timeline.PositionAt(T0.AddSeconds(11.5)), 6);
        Assert.Equal(version + 3, timeline.Version);
    }

    [Fact]
    public void APlayingCast_FollowsAStalledLeader_OnlyBeyondTheTolerance()
    {
        var timeline = new CastTimeline(0, T0);
        timeline.FollowLeader(0, true, T0, 0.2);
        Assert.False(timeline.FollowLeader(9.9, true, T0.AddSeconds(10), 0.2));
        Assert.True(timeline.FollowLeader(8, true, T0.AddSeconds(10), 0.2));
        Assert.Equal(8, timeline.PositionAt(T0.AddSeconds(10)), 6);
    }

    [Fact]
    public void EndedAndFailed_AreFinal()
    {
        var timeline = new CastTimeline(0, T0);
        Assert.True(timeline.Fail("bad", T0));
        Assert.False(timeline.SetRate(1, T0));
        Assert.False(timeline.Seek(2, T0));
        Assert.Equal("bad", timeline.FailureReason);
    }
}
