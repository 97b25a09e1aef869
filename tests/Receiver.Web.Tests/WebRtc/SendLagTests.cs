using Receiver.Web.WebRtc;

namespace Receiver.Web.Tests.WebRtc;

public sealed class SendLagTests
{
    [Fact]
    public void Median_BeforeAnyPacket_IsNull() => Assert.Null(new SendLag().Median);

    [Fact]
    public void Median_OfAFewLatePackets_StaysAtTheTypicalLag()
    {
        var lag = new SendLag();
        for (var i = 0; i < SendLag.Samples; i++)
        {
            // One packet in eight leaves 400 ms late (a busy machine); the rest 50 ms after their media time.
            lag.Add(i % 8 == 0 ? 450_000 : 50_000);
        }

        Assert.Equal(50_000, lag.Median);
    }

    [Fact]
    public void Median_FollowsTheLastPackets()
    {
        var lag = new SendLag();
        for (var i = 0; i < SendLag.Samples; i++)
        {
            lag.Add(10_000);
        }

        for (var i = 0; i < SendLag.Samples; i++)
        {
            lag.Add(80_000);
        }

        Assert.Equal(80_000, lag.Median);
    }
}
