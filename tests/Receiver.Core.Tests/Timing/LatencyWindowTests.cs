using Receiver.Core.Timing;

namespace Receiver.Core.Tests.Timing;

public sealed class LatencyWindowTests
{
    [Fact]
    public void TakeSummary_Empty_IsNull()
    {
        Assert.Null(new LatencyWindow().TakeSummary());
        Assert.Null(new LatencyWindow().TakeMedian());
    }

    [Fact]
    public void TakeSummary_OneToHundred_ReturnsNearestRankPercentilesAndMax()
    {
        var window = new LatencyWindow(128);
        for (var i = 100; i >= 1; i--)
        {
            window.Add(i);
        }

        Assert.Equal(new LatencySummary(50, 95, 99, 100, 100), window.TakeSummary());
    }

    [Fact]
    public void TakeSummary_StartsOverAfterEachRead()
    {
        var window = new LatencyWindow();
        window.Add(7);
        Assert.Equal(1, window.TakeSummary()!.Samples);
        Assert.Null(window.TakeSummary());
        window.Add(3);
        Assert.Equal(new LatencySummary(3, 3, 3, 3, 1), window.TakeSummary());
    }

    [Fact]
    public void Add_NegativeOrNaN_CountsAsZero()
    {
        var window = new LatencyWindow();
        window.Add(-12.5);
        window.Add(double.NaN);
        window.Add(-0.001);
        var summary = window.TakeSummary()!;
        Assert.Equal(0, summary.Max);
        Assert.Equal(3, summary.Samples);
        window.Add(-40);
        Assert.Equal(0, window.TakeMedian());
    }

    [Fact]
    public void Add_BeyondCapacity_KeepsTheNewest()
    {
        var window = new LatencyWindow(4);
        foreach (var value in new double[] { 1000, 900, 1, 2, 3, 4 })
        {
            window.Add(value);
        }

        Assert.Equal(new LatencySummary(2, 4, 4, 4, 4), window.TakeSummary());
    }

    [Fact]
    public void Constructor_CapacityBelowOne_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new LatencyWindow(0));
    }

    [Fact]
    public void Of_NoSamples_Throws()
    {
        Assert.Throws<ArgumentException>(() => LatencySummary.Of([]));
    }

    [Fact]
    public void Round_RoundsFiguresAndKeepsTheCount()
    {
        Assert.Equal(new LatencySummary(0.123, 1.0, 2.0, 3.457, 9), new LatencySummary(0.12345, 0.99999, 2.0004, 3.4567, 9).Round(3));
    }
}
