namespace Receiver.Core.Timing;

/// <summary>The distribution of a set of latency samples, in milliseconds (never negative).</summary>
/// <param name="P50">Median (nearest rank).</param>
/// <param name="P95">95th percentile (nearest rank).</param>
/// <param name="P99">99th percentile (nearest rank).</param>
/// <param name="Max">Largest sample.</param>
/// <param name="Samples">How many samples the figures describe.</param>
public sealed record LatencySummary(double P50, double P95, double P99, double Max, int Samples)
{
    /// <summary>Summarises samples sorted in ascending order (at least one).</summary>
    public static LatencySummary Of(ReadOnlySpan<double> sorted)
    {
        if (sorted.IsEmpty)
        {
            throw new ArgumentException("A summary needs at least one sample.", nameof(sorted));
        }

        return new LatencySummary(Rank(sorted, 50), Rank(sorted, 95), Rank(sorted, 99), sorted[^1], sorted.Length);
    }

    /// <summary>The same figures rounded to <paramref name="digits"/> decimals, for reports.</summary>
    public LatencySummary Round(int digits) =>
        new(Math.Round(P50, digits), Math.Round(P95, digits), Math.Round(P99, digits), Math.Round(Max, digits), Samples);

    private static double Rank(ReadOnlySpan<double> sorted, double percentile)
    {
        var rank = (int)Math.Ceiling(percentile / 100 * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }
}
