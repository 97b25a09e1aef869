using Receiver.Core.Rtp;

namespace Receiver.Core.Tests.Rtp;

public sealed class LipSyncPacerTests
{
    private const int Video = LipSyncPacer.Video;
    private const int Audio = LipSyncPacer.Audio;
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan MaxHold = TimeSpan.FromMilliseconds(1000);

    [Fact]
    public void Hold_SoundReadyBeforeItsPicture_SoundWaitsForThePicturesLag_PictureNeverWaits()
    {
        var pacer = new LipSyncPacer(Window, MaxHold);
        // Pictures are ready 100 ms after their media time, sound 20 ms after.
        for (var t = 0L; t < 1_000_000; t += 20_000)
        {
            Assert.Equal(TimeSpan.Zero, pacer.Hold(Video, t, t + 100_000));
            var soundHold = pacer.Hold(Audio, t, t + 20_000);
            if (t > 0)
            {
                Assert.Equal(TimeSpan.FromMilliseconds(80), soundHold);
            }
        }

        Assert.Equal(100_000, pacer.TargetLagMicroseconds);
    }

    [Fact]
    public void Hold_OneStreamAlone_NothingWaits()
    {
        var pacer = new LipSyncPacer(Window, MaxHold);
        for (var t = 0L; t < 1_000_000; t += 33_000)
        {
            Assert.Equal(TimeSpan.Zero, pacer.Hold(Video, t, t + 10_000 + (t % 7 * 1000)));
        }

        Assert.Null(pacer.TargetLagMicroseconds);
    }

    [Fact]
    public void Hold_JitteryLateStream_EarlyStreamFollowsItsMedian_NotItsWorst()
    {
        var pacer = new LipSyncPacer(Window, MaxHold);
        for (var t = 0L; t < 1_000_000; t += 20_000)
        {
            // Every fifth picture is 150 ms late instead of 50.
            pacer.Hold(Video, t, t + (t / 20_000 % 5 == 0 ? 150_000 : 50_000));
        }

        Assert.Equal(TimeSpan.FromMilliseconds(40), pacer.Hold(Audio, 1_000_000, 1_010_000));
    }

    [Fact]
    public void Hold_ALagOutsideTheWindow_NoLongerCounts()
    {
        var pacer = new LipSyncPacer(Window, MaxHold);
        pacer.Hold(Video, 0, 300_000);
        pacer.Hold(Audio, 0, 10_000);
        Assert.Equal(TimeSpan.FromMilliseconds(290), pacer.Hold(Audio, 20_000, 30_000));
        // Three seconds on the picture's lag is 50 ms.
        pacer.Hold(Video, 3_000_000, 3_050_000);
        Assert.Equal(TimeSpan.FromMilliseconds(40), pacer.Hold(Audio, 3_000_000, 3_010_000));
    }

    [Fact]
    public void Hold_NeverLongerThanMaxHold()
    {
        var pacer = new LipSyncPacer(Window, MaxHold);
        pacer.Hold(Video, 0, 3_000_000);
        Assert.Equal(MaxHold, pacer.Hold(Audio, 0, 1_000));
    }
}
