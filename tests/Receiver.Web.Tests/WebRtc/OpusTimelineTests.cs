using Receiver.Web.WebRtc;

namespace Receiver.Web.Tests.WebRtc;

public sealed class OpusTimelineTests
{
    [Fact]
    public void MediaTimeOf_44100HzFramesWithAGap_MapsEncoderPositionsToEachFramesTime()
    {
        var timeline = new OpusTimeline(44_100);
        timeline.Add(1_000_000, 1024); // 48 kHz positions 0..1114
        timeline.Add(1_023_220, 1024); // 1114..2229
        timeline.Add(5_000_000, 1024); // after a pause of the sender's sound: 2229..3343

        Assert.Equal(1_000_000, timeline.MediaTimeOf(0));
        Assert.Equal(1_020_000, timeline.MediaTimeOf(960));
        Assert.Equal(1_023_220, timeline.MediaTimeOf(1114));
        Assert.Equal(5_000_000 + (1 * 1_000_000 / 48_000), timeline.MediaTimeOf(2230));
        Assert.Null(timeline.MediaTimeOf(3343));
    }

    [Fact]
    public void MediaTimeOf_PositionsOnlyGrow_EarlierFramesAreForgotten()
    {
        var timeline = new OpusTimeline(48_000);
        timeline.Add(0, 960);
        timeline.Add(20_000, 960);
        Assert.Equal(20_000, timeline.MediaTimeOf(960));
        Assert.Null(timeline.MediaTimeOf(0));
    }
}
