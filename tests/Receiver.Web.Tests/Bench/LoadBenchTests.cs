using Receiver.LoadBench;
using Receiver.Tests;
using Receiver.Web.Media;
using Receiver.Web.Tests.Infrastructure;
using Receiver.Web.Tests.Viewer;

namespace Receiver.Web.Tests.Bench;

/// <summary>The load driver's instruments: what it reads from media headers, from <c>/proc</c> and from <c>/metrics</c>.</summary>
[Collection(SerialCollection.Name)]
public sealed class LoadBenchTests
{
    private static byte[] Header(MediaFrameKind kind, uint sequence, long receivedUs, long sentUs, bool backlog = false)
    {
        var bytes = new byte[MediaFrameHeader.Length];
        new MediaFrameHeader(kind, IsKeyframe: false, sequence, sequence * 16_667L, 0, receivedUs, sentUs, backlog).Write(bytes);
        return bytes;
    }

    [Fact]
    public void Tally_ReceiversOwnHeaders_CountsGapsFramesAndLatency()
    {
        var tally = new VideoFragmentTally();
        tally.OnFormat();
        tally.OnBinary(Header(MediaFrameKind.InitSegment, 0, 0, 0));
        tally.OnBinary(Header(MediaFrameKind.Media, 1, 1_000_000, 1_000_250, backlog: true));
        tally.OnBinary(Header(MediaFrameKind.Media, 2, 1_000_000, 1_000_500));
        tally.Measuring = true;
        tally.OnBinary(Header(MediaFrameKind.Media, 3, 2_000_000, 2_001_000));
        tally.OnBinary(Header(MediaFrameKind.AudioMedia, 1, 2_000_000, 2_900_000));
        tally.OnBinary(Header(MediaFrameKind.Media, 6, 3_000_000, 3_000_100)); // 4 and 5 never came
        tally.OnFormat(); // a new stream: numbered afresh, no gap
        tally.OnBinary(Header(MediaFrameKind.Media, 1, 4_000_000, 4_002_000));
        tally.OnBinary(Header(MediaFrameKind.Media, 2, 0, 5_000_000)); // completion time unknown: no latency

        Assert.Equal(4, tally.VideoFrames);
        Assert.Equal(2, tally.MissingFragments);
        Assert.Equal(new[] { 1f, 0.1f, 2f }, tally.LatencyMs);
    }

    [Fact]
    public void Tally_BacklogAndUnmeasuredFragments_AreNotCountedButKeepTheSequence()
    {
        var tally = new VideoFragmentTally();
        tally.OnBinary(Header(MediaFrameKind.Media, 10, 1, 2));
        tally.OnBinary(Header(MediaFrameKind.Media, 15, 1, 2)); // a gap before measuring: not counted
        tally.Measuring = true;
        tally.OnBinary(Header(MediaFrameKind.Media, 16, 1, 2, backlog: true));
        tally.OnBinary(Header(MediaFrameKind.Media, 17, 1, 2));
        tally.OnBinary(Header(MediaFrameKind.Media, 17, 1, 2)); // not newer: no gap

        Assert.Equal(2, tally.VideoFrames);
        Assert.Equal(0, tally.MissingFragments);
    }

    [Fact]
    public void ProcessSample_ThisProcess_SeesItsCpuTimeAndResidentMemory()
    {
        var before = ProcessSample.Read(Environment.ProcessId);
        var spin = System.Diagnostics.Stopwatch.StartNew();
        var x = 0L;
        while (spin.ElapsedMilliseconds < 300)
        {
            x += spin.ElapsedTicks % 7;
        }

        var after = ProcessSample.Read(Environment.ProcessId);
        Assert.True(x >= 0);
        Assert.InRange(after.CpuSecondsSince(before), 0.05, 30);
        Assert.InRange(after.ResidentBytes, 10L * 1024 * 1024, 64L * 1024 * 1024 * 1024);
    }

    [Fact]
    public void RuntimeReading_PrometheusText_SumsSeriesByNameAndGeneration()
    {
        var reading = RuntimeReading.Parse("""
            # TYPE dotnet_gc_collections_total counter
            dotnet_gc_collections_total{otel_scope_name="System.Runtime",gc_heap_generation="gen0"} 12 1733390000000
            dotnet_gc_collections_total{otel_scope_name="System.Runtime",gc_heap_generation="gen1"} 3 1733390000000
            dotnet_gc_collections_total{otel_scope_name="System.Runtime",gc_heap_generation="gen2"} 1 1733390000000
            dotnet_gc_pause_time_seconds_total{otel_scope_name="System.Runtime"} 0.25 1733390000000
            dotnet_gc_last_collection_heap_size_bytes{otel_scope_name="System.Runtime",gc_heap_generation="gen0"} 1000 1733390000000
            dotnet_gc_last_collection_heap_size_bytes{otel_scope_name="System.Runtime",gc_heap_generation="loh"} 500 1733390000000
            receiver_fragments_dropped_total{otel_scope_name="Receiver"} 736 1733390000000
            """);

        Assert.Equal((12, 3, 1), (reading.Gen0, reading.Gen1, reading.Gen2));
        Assert.Equal(0.25, reading.PauseSeconds);
        Assert.Equal(1500, reading.HeapBytes);
        Assert.Equal(736, reading.DroppedFragments);
    }

    [Theory]
    [Lane(TestLanes.External)]
    [InlineData("raw")]
    [InlineData("clientws")]
    public async Task LoadViewer_KeepingUpWithALiveSession_GetsEveryFragmentWithItsLatency(string client)
    {
        Require.Ffmpeg();
        var clip = await H264Clip.GetAsync(640, 360, 30, 4, 60);
        await using var live = await LiveSession.StartAsync(clip);
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var viewer = LoadViewer.Create(client, live.Host.WebUrl, live.Id, "webcodecs", stalled: false);
        await viewer.ConnectAsync(stop.Token);
        viewer.StartMeasuring();
        using var window = CancellationTokenSource.CreateLinkedTokenSource(stop.Token);
        var reading = viewer is RawWebSocketViewer raw
            ? RawViewerLoop.RunAsync([raw], 1, window.Token)
            : ((ClientWebSocketViewer)viewer).RunAsync(window.Token);
        await Task.Delay(TimeSpan.FromSeconds(2), stop.Token);
        viewer.StopMeasuring();
        await window.CancelAsync();
        await reading;

        Assert.Null(viewer.CloseReason);
        Assert.InRange(viewer.Tally.VideoFrames, 20, 200);
        Assert.Equal(0, viewer.Tally.MissingFragments);
        Assert.Equal(viewer.Tally.VideoFrames, viewer.Tally.LatencyMs.Count);
        Assert.InRange(viewer.BytesReceived, viewer.Tally.VideoFrames * VideoFragmentTally.HeaderLength, long.MaxValue);
        Assert.All(viewer.Tally.LatencyMs, ms => Assert.InRange(ms, 0f, 5_000f));
    }
}
