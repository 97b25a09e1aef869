using System.Globalization;

namespace Receiver.ViewerProbe;

/// <summary>
/// The receiver's <c>receiver.media.send_latency</c> histogram as <c>/metrics</c> shows it (cumulative bucket counts,
/// summed over the mode label). Two readings bracket a run; their difference is the run's distribution.
/// </summary>
internal sealed class SendLatencyHistogram
{
    private readonly SortedDictionary<double, long> _cumulative = [];

    public static async Task<SendLatencyHistogram> ReadAsync(HttpClient http, CancellationToken cancellationToken)
    {
        var text = await http.GetStringAsync("/metrics", cancellationToken);
        var histogram = new SendLatencyHistogram();
        foreach (var line in text.Split('\n'))
        {
            if (!line.StartsWith("receiver_media_send_latency", StringComparison.Ordinal) || !line.Contains("_bucket{", StringComparison.Ordinal))
            {
                continue;
            }

            var le = line.IndexOf("le=\"", StringComparison.Ordinal);
            var end = line.IndexOf('"', le + 4);
            var bound = line[(le + 4)..end] == "+Inf" ? double.PositiveInfinity : double.Parse(line[(le + 4)..end], CultureInfo.InvariantCulture);
            var count = long.Parse(line[(line.LastIndexOf('}') + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
            histogram._cumulative[bound] = histogram._cumulative.GetValueOrDefault(bound) + count;
        }

        return histogram;
    }

    /// <summary>The distribution between <paramref name="before"/> and this reading: for each percentile, the upper bound of its bucket.</summary>
    public System.Text.Json.Nodes.JsonObject Since(SendLatencyHistogram before)
    {
        var deltas = _cumulative.Select(b => (Bound: b.Key, Count: b.Value - before._cumulative.GetValueOrDefault(b.Key))).ToList();
        var total = deltas.Count == 0 ? 0 : deltas[^1].Count;
        var result = new System.Text.Json.Nodes.JsonObject { ["samples"] = total };
        if (total == 0)
        {
            return result;
        }

        foreach (var (name, p) in new[] { ("p50", 50.0), ("p95", 95.0), ("p99", 99.0), ("p100", 100.0) })
        {
            var rank = (long)Math.Ceiling(p / 100 * total);
            var bound = deltas.First(d => d.Count >= rank).Bound;
            result[name] = double.IsPositiveInfinity(bound) ? "inf" : bound;
        }

        return result;
    }
}
