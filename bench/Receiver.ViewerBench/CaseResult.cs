using System.Globalization;

namespace Receiver.ViewerBench;

/// <summary>The figures of one benchmark run, computed from the page's samples and latencies.</summary>
public sealed record CaseResult(
    BenchCase Case, double ShownPercent, double DecodedPercent, double P50, double P95, double P99,
    double? AvOffsetMedian, double? AvOffsetMaxAbs, double? PlayoutDelayMedian, double? PlayoutDelayMin,
    double? SecondsToSteady, double FirstPictureSeconds, double AddedP50, double AddedP99, double AddedMax,
    int Waiting, int AudioFrames, double MeasuredSeconds, string Error, int LatencySamples = 0)
{
    /// <summary>What is not measured after the first picture: the join itself.</summary>
    public const double SettleMs = 3000;

    public static CaseResult Compute(BenchCase benchCase, IReadOnlyList<PageSample> samples, double[] latencies, double[] added, double openedAt)
    {
        var first = samples.FirstOrDefault(s => s.Presented > 0);
        if (first is null)
        {
            return Failed(benchCase, samples.LastOrDefault()?.Error is { Length: > 0 } e ? e : "no picture shown");
        }

        var window = samples.Where(s => s.Time >= first.Time + SettleMs).ToList();
        if (window.Count < 5)
        {
            return Failed(benchCase, "the stream ended before the measurement window");
        }

        var start = window[0];
        var end = window[^1];
        var seconds = (end.Time - start.Time) / 1000;
        var expected = benchCase.Size.Fps * seconds;
        var measured = latencies[Math.Min(start.Latencies, latencies.Length)..Math.Min(end.Latencies, latencies.Length)];
        var addedInWindow = added[Math.Min(start.Added, added.Length)..Math.Min(end.Added, added.Length)];
        var av = window.Where(s => s.AvOffsetMs is not null).Select(s => s.AvOffsetMs!.Value).ToArray();
        var playout = window.Where(s => s.PlayoutDelayMs is not null).Select(s => s.PlayoutDelayMs!.Value).ToArray();
        return new CaseResult(
            benchCase,
            Math.Min(100, 100 * (end.Presented - start.Presented) / expected),
            Math.Min(100, 100 * (end.Decoded - start.Decoded) / expected),
            Percentile(measured, 50), Percentile(measured, 95), Percentile(measured, 99),
            av.Length > 0 ? Percentile(av, 50) : null, av.Length > 0 ? av.Max(Math.Abs) : null,
            playout.Length > 0 ? Percentile(playout, 50) : null, playout.Length > 0 ? playout.Min() : null,
            SteadyAfter(samples, first, latencies, measured),
            (first.Time - openedAt) / 1000,
            Percentile(addedInWindow, 50), Percentile(addedInWindow, 99), addedInWindow.Length > 0 ? addedInWindow.Max() : double.NaN,
            end.Waiting - start.Waiting, end.AudioFrames, seconds, end.Error, measured.Length);
    }

    /// <summary>
    /// From the first picture to the start of the first second whose 200 ms windows all have a median latency within
    /// max(20 ms, 25 %) above the run's steady median (the median over the measurement window).
    /// </summary>
    private static double? SteadyAfter(IReadOnlyList<PageSample> samples, PageSample first, double[] latencies, double[] measured)
    {
        if (measured.Length == 0)
        {
            return null;
        }

        var steady = Percentile(measured, 50);
        var limit = steady + Math.Max(20, 0.25 * steady);
        var windows = new List<(double Time, double Median)>();
        for (var i = 1; i < samples.Count; i++)
        {
            if (samples[i].Time < first.Time)
            {
                continue;
            }

            var from = Math.Min(samples[i - 1].Latencies, latencies.Length);
            var to = Math.Min(samples[i].Latencies, latencies.Length);
            if (to > from)
            {
                windows.Add((samples[i - 1].Time, Percentile(latencies[from..to], 50)));
            }
        }

        for (var k = 0; k < windows.Count; k++)
        {
            var next = windows.Skip(k).TakeWhile(w => w.Time < windows[k].Time + 1000).ToList();
            if (next.Count >= 3 && next.All(w => w.Median <= limit))
            {
                return Math.Max(0, (windows[k].Time - first.Time) / 1000);
            }
        }

        return null;
    }

    private static CaseResult Failed(BenchCase benchCase, string error) =>
        new(benchCase, 0, 0, double.NaN, double.NaN, double.NaN, null, null, null, null, null, double.NaN,
            double.NaN, double.NaN, double.NaN, 0, 0, 0, error);

    public static double Percentile(double[] values, double p)
    {
        if (values.Length == 0)
        {
            return double.NaN;
        }

        var sorted = values.Order().ToArray();
        var rank = (int)Math.Ceiling(p / 100 * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }

    public const string Header =
        "| player | sound | size | machine | frames shown | decoded, kept | latency p50 / p95 / p99 ms (n) | A/V offset median (max abs) ms | playout delay median (min) ms | steady after s | first picture s | receiver-added p50 / p99 / max ms | waiting | measured s |\n" +
        "|---|---|---|---|---:|---:|---|---|---|---:|---:|---|---:|---:|";

    public string Row()
    {
        static string F(double? v, string format = "0") => v is { } x && !double.IsNaN(x) ? x.ToString(format, CultureInfo.InvariantCulture) : "–";
        var error = string.IsNullOrEmpty(Error) ? string.Empty : $" ({Error.Replace('|', '/')})";
        return $"| {Case.Player} | {(Case.Sound ? "on" : "off")} | {Case.Size.Name} | {(Case.Busy ? "two busy loops" : "quiet")} | " +
            $"{F(ShownPercent, "0.0")} % | {F(DecodedPercent, "0.0")} % | {F(P50)} / {F(P95)} / {F(P99)} ({LatencySamples}) | " +
            $"{F(AvOffsetMedian)} ({F(AvOffsetMaxAbs)}) | {F(PlayoutDelayMedian)} ({F(PlayoutDelayMin)}) | {F(SecondsToSteady, "0.0")} | " +
            $"{F(FirstPictureSeconds, "0.0")} | {F(AddedP50, "0.0")} / {F(AddedP99, "0.0")} / {F(AddedMax, "0.0")} | {Waiting} | {F(MeasuredSeconds, "0")}{error} |";
    }
}
