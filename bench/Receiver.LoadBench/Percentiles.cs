using System.Text.Json.Nodes;

namespace Receiver.LoadBench;

/// <summary>Nearest-rank percentiles of a set of samples (milliseconds).</summary>
public sealed record Percentiles(long Samples, double P50, double P99, double Max)
{
    public static Percentiles Of(IEnumerable<float> samples)
    {
        var sorted = samples.Order().ToArray();
        if (sorted.Length == 0)
        {
            return new Percentiles(0, double.NaN, double.NaN, double.NaN);
        }

        double Rank(double p) => sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Length) - 1, 0, sorted.Length - 1)];
        return new Percentiles(sorted.Length, Rank(50), Rank(99), sorted[^1]);
    }

    public JsonObject ToJson() => new()
    {
        ["samples"] = Samples,
        ["p50"] = double.IsNaN(P50) ? null : Math.Round(P50, 3),
        ["p99"] = double.IsNaN(P99) ? null : Math.Round(P99, 3),
        ["max"] = double.IsNaN(Max) ? null : Math.Round(Max, 3),
    };
}
