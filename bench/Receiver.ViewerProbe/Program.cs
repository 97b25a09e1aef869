using System.Text.Json;
using System.Text.Json.Nodes;
using Receiver.ViewerProbe;

// Watches the receiver's newest session with N media WebSocket viewers (no browser) and reports the receiver-added
// latency every media message carries in its header (sent − received), next to the receiver's own figures: the
// receiver.media.send_latency histogram of /metrics over the run (bucket bounds) and GET /api/sessions/{id} (its
// per-second receiverLatency, polled once a second). Prints one JSON object.
//
//   Receiver.ViewerProbe --url http://127.0.0.1:8080 [--viewers 4] [--modes mse,webcodecs] [--warmup 3] [--seconds 15]
var options = ProbeOptions.Parse(args);
using var http = new HttpClient { BaseAddress = options.Url, Timeout = TimeSpan.FromSeconds(5) };
using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(options.SessionWaitSeconds + options.WarmupSeconds + options.Seconds + 30));

var sessionId = await SessionPoller.WaitForSessionAsync(http, stop.Token);
var viewers = Enumerable.Range(0, options.Viewers)
    .Select(i => new ProbeViewer(options.Url, sessionId, options.Modes[i % options.Modes.Count]))
    .ToList();
foreach (var viewer in viewers)
{
    await viewer.ConnectAsync(stop.Token);
}

using var measure = CancellationTokenSource.CreateLinkedTokenSource(stop.Token);
var reading = viewers.Select(v => v.RunAsync(measure.Token)).ToList();
await Task.Delay(TimeSpan.FromSeconds(options.WarmupSeconds), stop.Token);
var framesBefore = await SessionPoller.ReadFramesAsync(http, sessionId, stop.Token);
var histogramBefore = await SendLatencyHistogram.ReadAsync(http, stop.Token);
var runtimeBefore = await RuntimeCounters.ReadAsync(http, stop.Token);
foreach (var viewer in viewers)
{
    viewer.StartMeasuring();
}

var poller = new SessionPoller(http, sessionId);
var polling = poller.RunAsync(measure.Token);
await Task.Delay(TimeSpan.FromSeconds(options.Seconds), stop.Token);
var framesAfter = await SessionPoller.ReadFramesAsync(http, sessionId, stop.Token);
var histogramAfter = await SendLatencyHistogram.ReadAsync(http, stop.Token);
var runtimeAfter = await RuntimeCounters.ReadAsync(http, stop.Token);
await measure.CancelAsync();
await Task.WhenAll(reading.Append(polling));

var video = Percentiles.Of(viewers.SelectMany(v => v.VideoLatencyMs));
var audio = Percentiles.Of(viewers.SelectMany(v => v.AudioLatencyMs));
var report = new JsonObject
{
    ["viewers"] = options.Viewers,
    ["modes"] = string.Join(',', options.Modes),
    ["seconds"] = options.Seconds,
    ["videoHeader"] = video,
    ["audioHeader"] = audio,
    ["server"] = poller.Summary(),
    ["serverHistogram"] = histogramAfter.Since(histogramBefore),
    ["runtime"] = runtimeAfter.Since(runtimeBefore, options.Seconds),
    ["framesPublished"] = framesAfter - framesBefore,
    ["framesReceivedPerViewer"] = new JsonArray(viewers.Select(v => (JsonNode)v.VideoFrames).ToArray()),
    ["audioFramesReceivedPerViewer"] = new JsonArray(viewers.Select(v => (JsonNode)v.AudioFrames).ToArray()),
    ["closed"] = new JsonArray(viewers.Where(v => v.CloseReason is not null).Select(v => (JsonNode)v.CloseReason!).ToArray()),
};
Console.WriteLine(report.ToJsonString(new JsonSerializerOptions { WriteIndented = false }));
var allReceived = viewers.All(v => v.VideoFrames > 0);
foreach (var viewer in viewers)
{
    viewer.Dispose();
}

return allReceived ? 0 : 1;

namespace Receiver.ViewerProbe
{
    internal static class Percentiles
    {
        public static JsonObject Of(IEnumerable<double> samples)
        {
            var sorted = samples.Order().ToArray();
            if (sorted.Length == 0)
            {
                return new JsonObject { ["samples"] = 0 };
            }

            double Rank(double p) => sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Length) - 1, 0, sorted.Length - 1)];
            return new JsonObject
            {
                ["samples"] = sorted.Length,
                ["p50"] = Math.Round(Rank(50), 3),
                ["p95"] = Math.Round(Rank(95), 3),
                ["p99"] = Math.Round(Rank(99), 3),
                ["max"] = Math.Round(sorted[^1], 3),
            };
        }
    }
}
