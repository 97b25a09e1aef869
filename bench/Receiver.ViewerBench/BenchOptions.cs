namespace Receiver.ViewerBench;

/// <summary>Command line of the viewer benchmark.</summary>
public sealed record BenchOptions
{
    public IReadOnlyList<string> Players { get; init; } = ["mse", "webcodecs"];
    public IReadOnlyList<bool> Sound { get; init; } = [true, false];
    public IReadOnlyList<ClipSize> Sizes { get; init; } = [ClipSize.Parse("720p60"), ClipSize.Parse("1080p60")];
    public IReadOnlyList<bool> Loads { get; init; } = [false, true];
    public int Seconds { get; init; } = 20;
    public int Repeat { get; init; } = 1;
    /// <summary>Seconds between the session's first picture at the receiver and the viewer opening the page: 3 s joins in the middle of a 2 s GOP.</summary>
    public double JoinAfter { get; init; } = 3;
    public string Repository { get; init; } = Directory.GetCurrentDirectory();
    public string? Output { get; init; }
    public string Chromium { get; init; } = "/usr/bin/chromium";

    public const string Usage =
        "viewer-latency [--players mse,webcodecs] [--sound on,off] [--sizes 720p60,1080p60] [--load quiet,busy] " +
        "[--seconds 20] [--join-after 3] [--repeat 1] [--repo DIR] [--out table.md] [--chromium /usr/bin/chromium]";

    public static BenchOptions Parse(string[] args)
    {
        var options = new BenchOptions();
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            options = args[i] switch
            {
                "--players" => options with { Players = List(Next()).Select(p => p is "mse" or "webcodecs" ? p : throw new ArgumentException($"unknown player {p}")).ToArray() },
                "--sound" => options with { Sound = List(Next()).Select(s => s is "on" ? true : s is "off" ? false : throw new ArgumentException($"--sound takes on,off")).ToArray() },
                "--sizes" => options with { Sizes = List(Next()).Select(ClipSize.Parse).ToArray() },
                "--load" => options with { Loads = List(Next()).Select(s => s is "busy" ? true : s is "quiet" ? false : throw new ArgumentException("--load takes quiet,busy")).ToArray() },
                "--seconds" => options with { Seconds = int.Parse(Next(), System.Globalization.CultureInfo.InvariantCulture) },
                "--join-after" => options with { JoinAfter = double.Parse(Next(), System.Globalization.CultureInfo.InvariantCulture) },
                "--repeat" => options with { Repeat = int.Parse(Next(), System.Globalization.CultureInfo.InvariantCulture) },
                "--repo" => options with { Repository = Next() },
                "--out" => options with { Output = Next() },
                "--chromium" => options with { Chromium = Next() },
                _ => throw new ArgumentException($"unknown argument {args[i]}"),
            };
        }

        if (options.Seconds < 8)
        {
            throw new ArgumentException("--seconds must be at least 8 (the first 3 s after the first picture are not measured)");
        }

        return options;
    }

    private static string[] List(string text) => text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
