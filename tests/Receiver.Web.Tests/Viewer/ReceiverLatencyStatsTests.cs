using System.Text.Json;
using Receiver.Web.Tests.Infrastructure;

namespace Receiver.Web.Tests.Viewer;

/// <summary>A media WebSocket viewer's sends show up as the session's receiver-added latency in <c>GET /api/sessions/{id}</c>.</summary>
public sealed class ReceiverLatencyStatsTests
{
    [Fact]
    [Lane(TestLanes.RealTime)]
    public async Task Streaming_ReportsReceiverLatencyInSessionStats()
    {
        Require.Ffmpeg();
        var clip = await H264Clip.GetAsync(640, 360, 30, 4, 60);
        await using var live = await LiveSession.StartAsync(clip);
        await using var client = await live.ConnectAsync();
        await client.ReceiveMediaAsyncAfterFormat();
        using var reading = new CancellationTokenSource();
        var receiving = Task.Run(async () =>
        {
            while (!reading.IsCancellationRequested)
            {
                await client.ReceiveMediaAsync();
            }
        });

        using var http = new HttpClient { BaseAddress = live.Host.WebUrl };
        JsonElement latency = default;
        await Eventually.TrueAsync(() =>
        {
            using var detail = JsonDocument.Parse(http.GetStringAsync($"/api/sessions/{live.Id}").GetAwaiter().GetResult());
            var stats = detail.RootElement.GetProperty("stats");
            if (stats.GetProperty("receiverLatency").ValueKind != JsonValueKind.Object)
            {
                return false;
            }

            latency = stats.GetProperty("receiverLatency").Clone();
            return true;
        }, TimeSpan.FromSeconds(10));
        await reading.CancelAsync();

        Assert.True(latency.GetProperty("samples").GetInt32() > 0);
        var (p50, p95, p99, max) = (latency.GetProperty("p50").GetDouble(), latency.GetProperty("p95").GetDouble(), latency.GetProperty("p99").GetDouble(), latency.GetProperty("max").GetDouble());
        Assert.True(0 <= p50 && p50 <= p95 && p95 <= p99 && p99 <= max, $"{p50} {p95} {p99} {max}");
        await Task.WhenAny(receiving, Task.Delay(TimeSpan.FromSeconds(5)));
    }
}
