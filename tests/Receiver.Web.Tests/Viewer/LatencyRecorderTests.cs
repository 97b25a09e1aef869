using Receiver.Web.Media;

namespace Receiver.Web.Tests.Viewer;

public sealed class LatencyRecorderTests
{
    [Fact]
    public void Percentile_NoSamples_IsNaN()
    {
        Assert.True(double.IsNaN(new LatencyRecorder().Percentile(50)));
    }

    [Fact]
    public void Percentile_OneToHundred_ReturnsNearestRank()
    {
        var recorder = new LatencyRecorder();
        for (var i = 100; i >= 1; i--)
        {
            recorder.Record(i);
        }

        Assert.Equal(50, recorder.Percentile(50));
        Assert.Equal(99, recorder.Percentile(99));
        Assert.Equal(100, recorder.Percentile(100));
        Assert.Equal(1, recorder.Percentile(0));
    }

    [Fact]
    public void Record_BeyondCapacity_KeepsNewest()
    {
        var recorder = new LatencyRecorder(capacity: 4);
        foreach (var value in new double[] { 100, 100, 1, 2, 3, 4 })
        {
            recorder.Record(value);
        }

        Assert.Equal(6, recorder.Count);
        Assert.Equal(4, recorder.Percentile(100));
        Assert.Equal([1, 2, 3, 4], recorder.Snapshot().Order());
    }
}
