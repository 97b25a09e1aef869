using System.Diagnostics;
using System.Net;
using System.Net.WebSockets;
using Receiver.Core.Media;
using Receiver.Core.Timing;
using Receiver.Web.Media;
using Receiver.Web.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Receiver.Web.Tests.Viewer;

[Collection(SerialCollection.Name)]
public sealed class MediaWebSocketTests(ITestOutputHelper output)
{
    private static Task<H264Clip> SmallClip() => H264Clip.GetAsync(640, 360, 30, 4, 60);

    [Fact]
    public async Task Connect_UnknownSession_Returns404BeforeUpgrade()
    {
        await using var live = await LiveSession.StartAsync(null);
        using var http = new HttpClient();
        var response = await http.GetAsync(new Uri(live.Host.WebUrl, "/ws/sessions/000000000000/media"));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);

        var error = await Assert.ThrowsAsync<WebSocketException>(() => MediaSocketClient.ConnectAsync(live.Host.WebUrl, "000000000000"));
        Assert.Contains("404", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_KnownSessionWithoutUpgrade_Returns426()
    {
        await using var live = await LiveSession.StartAsync(null);
        using var http = new HttpClient();
        var response = await http.GetAsync(new Uri(live.Host.WebUrl, $"/ws/sessions/{live.Id}/media"));
        Assert.Equal(HttpStatusCode.UpgradeRequired, response.StatusCode);
    }

    [Fact]
    public async Task Get_UnknownMode_Returns400()
    {
        await using var live = await LiveSession.StartAsync(null);
        using var http = new HttpClient();
        var response = await http.GetAsync(new Uri(live.Host.WebUrl, $"/ws/sessions/{live.Id}/media?mode=flv"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Connect_Mse_SendsFormatThenInitSegmentThenFragments()
    {
        Require.Ffmpeg();
        var clip = await SmallClip();
        await using var live = await LiveSession.StartAsync(clip);
        await using var client = await live.ConnectAsync("mode=mse");

        var first = await client.ReceiveAsync();
        Assert.NotNull(first?.Text);
        var format = first.Format;
        Assert.Equal(("format", "mse", "h264", 640, 360), (format.Type, format.Mode, format.Codec, format.Width, format.Height));
        Assert.StartsWith("avc1.", format.CodecString, StringComparison.Ordinal);
        Assert.True(format.LowDelay);
        Assert.Equal(MediaFrameHeader.Length, format.HeaderLength);

        var init = await client.ReceiveAsync();
        Assert.Equal(MediaFrameKind.InitSegment, init?.Header?.Kind);
        Assert.Equal("ftyp", init!.FirstBoxType);

        var previous = -1L;
        for (var i = 0; i < 10; i++)
        {
            var fragment = await client.ReceiveMediaAsync();
            var header = fragment.Header!.Value;
            Assert.Equal("moof", fragment.FirstBoxType);
            Assert.True(header.TimestampMicroseconds > previous);
            previous = header.TimestampMicroseconds;
            var senderUnixMs = header.SenderUnixMicroseconds / 1000;
            Assert.InRange(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - senderUnixMs, -50, 5_000);
            Assert.InRange(header.SentAtUnixMicroseconds - header.ReceivedAtUnixMicroseconds, 0, 5_000_000);
            if (i == 0)
            {
                Assert.True(header.IsKeyframe);
            }
        }
    }

    [Fact]
    public async Task Connect_WebCodecs_SendsDescriptionAndRawAccessUnits()
    {
        Require.Ffmpeg();
        var clip = await SmallClip();
        await using var live = await LiveSession.StartAsync(clip);
        await using var client = await live.ConnectAsync("mode=webcodecs");

        var format = (await client.ReceiveAsync())!.Format;
        Assert.Equal("webcodecs", format.Mode);
        var description = Convert.FromBase64String(format.Description);
        Assert.Equal(clip.Format.WithLowDecoderDelay().DecoderConfiguration.ToArray(), description);

        var first = await client.ReceiveMediaAsync();
        Assert.True(first.Header!.Value.IsKeyframe);
        AssertAvcc(first.Payload);
        var second = await client.ReceiveMediaAsync();
        AssertAvcc(second.Payload);
        Assert.Equal(1_000_000 / 30, second.Header!.Value.TimestampMicroseconds - first.Header.Value.TimestampMicroseconds, tolerance: 1);
    }

    [Fact]
    public async Task Connect_LowDelayOff_SendsTheSendersFormat()
    {
        Require.Ffmpeg();
        var clip = await SmallClip();
        await using var live = await LiveSession.StartAsync(clip);
        await using var client = await live.ConnectAsync("mode=webcodecs&lowDelay=0");
        var format = (await client.ReceiveAsync())!.Format;
        Assert.False(format.LowDelay);
        Assert.Equal(clip.Format.DecoderConfiguration.ToArray(), Convert.FromBase64String(format.Description));
    }

    [Fact]
    public async Task Connect_LateJoiner_StartsWithKeyframeAtOnce()
    {
        Require.Ffmpeg();
        var clip = await SmallClip();
        await using var live = await LiveSession.StartAsync(clip);
        await live.Sender!.WaitForFramesAsync(45, TimeSpan.FromSeconds(10));

        var joined = Stopwatch.GetTimestamp();
        await using var client = await live.ConnectAsync("mode=mse");
        Assert.NotNull((await client.ReceiveAsync())?.Text);
        Assert.Equal(MediaFrameKind.InitSegment, (await client.ReceiveAsync())?.Header?.Kind);
        var first = await client.ReceiveMediaAsync();
        var elapsed = Stopwatch.GetElapsedTime(joined);
        output.WriteLine($"late joiner: first keyframe {elapsed.TotalMilliseconds:F1} ms after connecting");
        Assert.True(first.Header!.Value.IsKeyframe);
        Assert.True(elapsed < TimeSpan.FromSeconds(1), $"first keyframe after {elapsed}");

        // The rest of the current GOP follows as a burst (the backlog), then live frames.
        var backlog = 0;
        while ((await client.ReceiveMediaAsync()).Header!.Value.ReceivedAtUnixMicroseconds < first.Header.Value.SentAtUnixMicroseconds)
        {
            backlog++;
        }

        Assert.InRange(backlog, 1, 60);
    }

    [Fact]
    public async Task SessionEnd_ClosesWithCode4000AndReason()
    {
        Require.Ffmpeg();
        var clip = await SmallClip();
        await using var live = await LiveSession.StartAsync(clip);
        await using var client = await live.ConnectAsync();
        await client.ReceiveMediaAsyncAfterFormat();
        Assert.Equal(1, live.Session.Media.ViewerCount);

        live.End();
        ReceivedMediaMessage? message;
        do
        {
            message = await client.ReceiveAsync();
        }
        while (message is not null);

        Assert.Equal(MediaCloseStatus.Ended, client.Socket.CloseStatus);
        Assert.Equal("ended: teardown", client.Socket.CloseStatusDescription);
    }

    [Fact]
    public async Task Disconnect_RemovesViewer()
    {
        Require.Ffmpeg();
        var clip = await SmallClip();
        await using var live = await LiveSession.StartAsync(clip);
        var client = await live.ConnectAsync();
        await client.ReceiveMediaAsyncAfterFormat();
        Assert.Equal(1, live.Session.Media.ViewerCount);
        await client.DisposeAsync();
        await Eventually.TrueAsync(() => live.Session.Media.ViewerCount == 0, TimeSpan.FromSeconds(5));
    }

    [Fact]
    [Lane(TestLanes.RealTime)]
    public async Task Streaming_RecordsSendLatency()
    {
        Require.Ffmpeg();
        var clip = await SmallClip();
        await using var live = await LiveSession.StartAsync(clip);
        await using var client = await live.ConnectAsync();
        await client.ReceiveMediaAsyncAfterFormat();
        for (var i = 0; i < 60; i++)
        {
            await client.ReceiveMediaAsync();
        }

        var recorder = MediaMetrics.For(live.Host.App.Services).SendLatency;
        Assert.True(recorder.Count >= 30, $"{recorder.Count} samples");
        var (p50, p99) = (recorder.Percentile(50), recorder.Percentile(99));
        output.WriteLine($"receiver-added latency (complete → sent): p50 {p50:F3} ms, p99 {p99:F3} ms over {recorder.Count} frames");
        Assert.InRange(p50, 0, 50);
    }

    [Fact]
    [Lane(TestLanes.RealTime)]
    public async Task StalledViewer_DoesNotDelayAnotherViewer()
    {
        Require.Ffmpeg();
        var clip = await H264Clip.GetAsync(1280, 720, 60, 10, 120);
        await using var live = await LiveSession.StartAsync(clip);
        await using var stalled = await live.ConnectAsync(receiveBufferBytes: 4096);
        await using var healthy = await live.ConnectAsync();
        await healthy.ReceiveMediaAsyncAfterFormat();

        var delays = new List<double>();
        var start = live.Sender!.FramesSent;
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < TimeSpan.FromSeconds(4))
        {
            var header = (await healthy.ReceiveMediaAsync()).Header!.Value;
            var nowUs = (DateTimeOffset.UtcNow - DateTimeOffset.UnixEpoch).Ticks / 10;
            delays.Add((nowUs - header.ReceivedAtUnixMicroseconds) / 1000.0);
        }

        var published = live.Sender.FramesSent - start;
        delays.Sort();
        var p99 = delays[(int)(delays.Count * 0.99)];
        output.WriteLine($"healthy viewer: {delays.Count} of {published} frames, delay p50 {delays[delays.Count / 2]:F2} ms p99 {p99:F2} ms; stalled viewer skipped {live.Session.Media.DroppedFragments} fragments");
        // Frames still in flight when the window closes, or skipped because this test's own reader fell behind on a
        // busy machine, are not counted; the healthy viewer must still get the great majority.
        Assert.True(delays.Count >= published * 0.75, $"{delays.Count} of {published}");
        // The median shows the healthy viewer is never waiting on the stalled one; p99 follows the machine's load.
        Assert.True(delays[delays.Count / 2] < 50, $"p50 {delays[delays.Count / 2]} ms");
        Assert.Equal(2, live.Session.Media.ViewerCount);
    }

    [Fact]
    [Lane(TestLanes.RealTime)]
    public async Task StalledViewer_KeepsMemoryBounded()
    {
        Require.Ffmpeg();
        var seconds = int.TryParse(Environment.GetEnvironmentVariable("VIEWER_STALL_SECONDS"), out var s) ? s : 8;
        var clip = await H264Clip.GetAsync(1280, 720, 60, 10, 120);
        await using var live = await LiveSession.StartAsync(clip);
        await using var stalled = await live.ConnectAsync(receiveBufferBytes: 4096);
        await live.Sender!.WaitForFramesAsync(live.Sender.FramesSent + 120, TimeSpan.FromSeconds(10));

        var managedBefore = GC.GetTotalMemory(forceFullCollection: true);
        var workingSetBefore = Environment.WorkingSet;
        await Task.Delay(TimeSpan.FromSeconds(seconds));
        var managedAfter = GC.GetTotalMemory(forceFullCollection: true);
        var workingSetAfter = Environment.WorkingSet;
        var growthMb = (managedAfter - managedBefore) / 1048576.0;
        output.WriteLine(
            $"stalled viewer for {seconds} s: managed {managedBefore / 1048576.0:F1} → {managedAfter / 1048576.0:F1} MB, " +
            $"working set {workingSetBefore / 1048576.0:F1} → {workingSetAfter / 1048576.0:F1} MB, " +
            $"published {live.Session.Media.BytesPublished / 1048576.0:F1} MB, skipped {live.Session.Media.DroppedFragments} fragments");
        Assert.True(growthMb < 24, $"managed memory grew {growthMb:F1} MB");
        Assert.True(live.Session.Media.DroppedFragments > 0);
    }

    private static void AssertAvcc(ReadOnlySpan<byte> payload)
    {
        var offset = 0;
        while (offset < payload.Length)
        {
            var length = (payload[offset] << 24) | (payload[offset + 1] << 16) | (payload[offset + 2] << 8) | payload[offset + 3];
            Assert.InRange(length, 1, payload.Length - offset - 4);
            Assert.False(AnnexB.IsParameterSet(payload.Slice(offset + 4, length), VideoCodec.H264));
            offset += 4 + length;
        }

        Assert.Equal(payload.Length, offset);
    }
}
