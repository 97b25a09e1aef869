namespace Receiver.Core.Audio;

/// <summary>Summary of measured latencies in milliseconds (0 when nothing was measured).</summary>
public readonly record struct AudioLatencyStatistics(int Count, double MeanMs, double MedianMs, double P95Ms, double MaxMs)
{
    /// <summary>Summarises a set of measurements.</summary>
    public static AudioLatencyStatistics From(IReadOnlyCollection<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count == 0)
        {
            return default;
        }

        var sorted = values.Order().ToArray();
        return new AudioLatencyStatistics(
            sorted.Length,
            sorted.Average(),
            sorted[sorted.Length / 2],
            sorted[Math.Min(sorted.Length - 1, (int)(sorted.Length * 0.95))],
            sorted[^1]);
    }
}
