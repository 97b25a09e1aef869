using Receiver.Core.Rtp;

namespace Receiver.Core.Tests.Rtp;

public sealed class LipSyncPacerTests
{
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan MaxHold = TimeSpan.FromMilliseconds(500);

    [Fact]
    public void Hold_VideoAheadOfSlowerAudio_VideoWaitsTheDifference_AudioLeavesAtOnce()
    {
        var pacer = new LipSyncPacer(Window, MaxHold);
        // Audio of media time t leaves 80 ms after t; video of media time t is ready 10 ms after t.
        Assert.Equal(TimeSpan.Zero, pacer.Hold(mediaTimeUs: 1_000_000, nowUs: 1_080_000));
        Assert.Equal(TimeSpan.FromMilliseconds(70), pacer.Hold(mediaTimeUs: 1_010_000, nowUs: 1_020_000));
        Assert.Equal(TimeSpan.Zero, pacer.Hold(mediaTimeUs: 1_020_000, nowUs: 1_100_000));
        Assert.Equal(80_000, pacer.TargetLagMicroseconds);
    }

    [Fact]
    public void Hold_ALateSpike_CountsForTheWindowOnly()
    {
        var pacer = new LipSyncPacer(Window, MaxHold);
        pacer.Hold(0, 200_000); // 200 ms late once
        Assert.Equal(TimeSpan.FromMilliseconds(190), pacer.Hold(1_000_000, 1_010_000));
        // Two seconds later the spike has left the window: the target is the lag seen since.
        Assert.Equal(TimeSpan.Zero, pacer.Hold(2_300_000, 2_310_000));
        Assert.Equal(10_000, pacer.TargetLagMicroseconds);
    }

    [Fact]
    public void Hold_NeverLongerThanMaxHold()
    {
        var pacer = new LipSyncPacer(Window, MaxHold);
        pacer.Hold(0, 3_000_000);
        Assert.Equal(MaxHold, pacer.Hold(1_000_000, 1_010_000 + 990_000));
    }

    [Fact]
    public void Hold_ManyPacketsWithRisingLag_KeepsTheLargest()
    {
        var pacer = new LipSyncPacer(Window, MaxHold);
        for (var i = 0; i < 1000; i++)
        {
            // 1 ms apart, lags going down from 100 ms: the first (largest) stays the target throughout the window.
            pacer.Hold(i * 1000, (i * 1000) + 100_000 - (i * 50));
        }

        Assert.Equal(100_000, pacer.TargetLagMicroseconds);
    }
}
