using Receiver.Web.WebRtc;

namespace Receiver.Web.Tests.WebRtc;

public sealed class OpusPacketClockTests
{
    private const int Lookahead = OpusPacketClock.LookaheadSamples;

    [Fact]
    public void PositionOf_FirstPacket_BeginsTheLookaheadBeforeTheFirstInputSample()
    {
        var clock = new OpusPacketClock();
        Assert.Equal(-Lookahead, clock.PositionOf(123_456));
    }

    [Fact]
    public void PositionOf_TimestampsStrayingByUpToAMillisecond_AreWholeFramesApart()
    {
        // The encoder's timestamps follow its input's whole-millisecond Matroska timestamps.
        var clock = new OpusPacketClock();
        uint[] stray = [0, 47, 12, 0, 40, 3];
        clock.PositionOf(1_000 + stray[0]);
        for (var i = 1; i < stray.Length; i++)
        {
            Assert.Equal((i * 960L) - Lookahead, clock.PositionOf((uint)(1_000 + (i * 960) - stray[i])));
        }
    }

    [Fact]
    public void PositionOf_LostPacket_SkipsItsFrame()
    {
        var clock = new OpusPacketClock();
        clock.PositionOf(0);
        clock.PositionOf(960);
        Assert.Equal((3 * 960L) - Lookahead, clock.PositionOf(3 * 960 + 20));
    }

    [Fact]
    public void PositionOf_TimestampWrapsAround_PositionsKeepGrowing()
    {
        var clock = new OpusPacketClock();
        clock.PositionOf(uint.MaxValue - 500);
        Assert.Equal(960L - Lookahead, clock.PositionOf(459));
        Assert.Equal(1920L - Lookahead, clock.PositionOf(1419));
    }
}
