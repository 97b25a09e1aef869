using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Receiver.ViewerProbe;

/// <summary>Reads the receiver's own figures of the session (<c>GET /api/sessions/{id}</c>, stats once a second).</summary>
internal sealed class SessionPoller(HttpClient http, string sessionId)
{
    private readonly List<JsonElement> _latency = [];
    private readonly List<double> _audioOffsets = [];
    private long _dropped = -1;
    private long _droppedFirst = -1;

    /// <summary>Waits for the newest live session that has video.</summary>
    public static async Task<string> WaitForSessionAsync(HttpClient http, CancellationToken cancellationToken)
    {
        while (true)
        {
            var sessions = await http.GetFromJsonAsync<JsonElement>("/api/sessions", cancellationToken);
            string? id = null;
            foreach (var session in sessions.EnumerateArray())
            {
                if (session.TryGetProperty("codec", out var codec) && codec.ValueKind == JsonValueKind.String)
                {
                    id = session.GetProperty("id").GetString();
                }
            }

            if (id is not null)
            {
                return id;
            }

            await Task.Delay(100, cancellationToken);
        }
    }

    public static async Task<long> ReadFramesAsync(HttpClient http, string sessionId, CancellationToken cancellationToken)
    {
        var detail = await http.GetFromJsonAsync<JsonElement>($"/api/sessions/{sessionId}", cancellationToken);
        return detail.GetProperty("framesReceived").GetInt64();
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                var detail = await http.GetFromJsonAsync<JsonElement>($"/api/sessions/{sessionId}", cancellationToken);
                var stats = detail.GetProperty("stats");
                _dropped = stats.GetProperty("dropped").GetInt64();
                if (_droppedFirst < 0)
                {
                    _droppedFirst = _dropped;
                }

                if (stats.TryGetProperty("audioOffsetMs", out var offset) && offset.ValueKind == JsonValueKind.Number)
                {
                    _audioOffsets.Add(offset.GetDouble());
                }

                if (stats.TryGetProperty("receiverLatency", out var latency) && latency.ValueKind == JsonValueKind.Object)
                {
                    _latency.Add(latency.Clone());
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (HttpRequestException)
        {
            // The session ended: keep what was read.
        }
    }

    /// <summary>
    /// The server's per-second figures over the run: the median of the seconds' medians, the worst second's p95 and p99,
    /// the largest sample, and the samples counted.
    /// </summary>
    public JsonObject Summary()
    {
        var result = new JsonObject { ["droppedDuringRun"] = _droppedFirst < 0 ? 0 : _dropped - _droppedFirst, ["intervals"] = _latency.Count };
        if (_audioOffsets.Count > 0)
        {
            result["audioOffsetMs"] = _audioOffsets.Order().ElementAt(_audioOffsets.Count / 2);
        }

        if (_latency.Count == 0)
        {
            return result;
        }

        double[] Of(string name) => _latency.Select(l => l.GetProperty(name).GetDouble()).Order().ToArray();
        var p50 = Of("p50");
        result["p50"] = p50[p50.Length / 2];
        result["p95"] = Of("p95")[^1];
        result["p99"] = Of("p99")[^1];
        result["max"] = Of("max")[^1];
        result["samples"] = _latency.Sum(l => l.GetProperty("samples").GetInt64());
        return result;
    }
}
