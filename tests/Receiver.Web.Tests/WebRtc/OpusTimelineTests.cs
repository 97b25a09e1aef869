using Receiver.Web.WebRtc;

namespace Receiver.Web.Tests.WebRtc;

public sealed class OpusTimelineTests
{
    [Fact]
    public void MediaTicksOf_44100HzFramesWithAGap_MapsEncoderPositionsToEachRunsTime()
    {
        var timeline = new OpusTimeline(44_100);
        timeline.Add(44_100, 1024); // media time 1 s; 48 kHz positions 0..1114
        timeline.Add(45_124, 1024); // follows without a gap: 1114..2229, the same run
        timeline.Add(220_500, 1024); // 5 s, after a pause of the sender's sound: 2229..3343, a new run

        Assert.Equal(48_000, timeline.MediaTicksOf(0));
        Assert.Equal(48_960, timeline.MediaTicksOf(960));
        Assert.Equal(48_000 + 1114, timeline.MediaTicksOf(1114));
        Assert.Equal(240_000 + 1, timeline.MediaTicksOf(2230));
        Assert.Null(timeline.MediaTicksOf(3343));
    }

    [Fact]
    public void MediaTicksOf_PositionsOnlyGrow_EarlierFramesAreForgotten()
    {
        var timeline = new OpusTimeline(48_000);
        timeline.Add(0, 960);
        timeline.Add(5_000, 960);
        Assert.Equal(5_000, timeline.MediaTicksOf(960));
        Assert.Null(timeline.MediaTicksOf(0));
    }

    [Fact]
    public void MediaTicksOf_NegativePosition_IsTheLookaheadBeforeTheFirstFrame()
    {
        var timeline = new OpusTimeline(44_100);
        timeline.Add(44_100, 352);
        Assert.Equal(48_000 - OpusPacketClock.LookaheadSamples, timeline.MediaTicksOf(-OpusPacketClock.LookaheadSamples));
    }

    [Fact]
    public void MediaTicksOf_SenderFramesOf352SamplesAt44100Hz_PacketsAreExactly960Apart()
    {
        var timeline = new OpusTimeline(44_100);
        for (var frame = 0L; frame < 1000; frame++)
        {
            timeline.Add(7 + (frame * 352), 352);
        }

        var previous = timeline.MediaTicksOf(-OpusPacketClock.LookaheadSamples)!.Value;
        for (var packet = 1; packet * 960 < 1000 * 352 * 48_000L / 44_100; packet++)
        {
            var ticks = timeline.MediaTicksOf((packet * 960L) - OpusPacketClock.LookaheadSamples)!.Value;
            Assert.Equal(960, ticks - previous);
            previous = ticks;
        }
    }
}
