using System.Globalization;

namespace Receiver.FaultBench;

/// <summary>The command line: which scenarios, their counts (defaults from issue 16), tolerances and where to write the table.</summary>
public sealed record FaultOptions
{
    public required string Repository { get; init; }

    /// <summary><c>all</c>, or one of <c>senders</c>, <c>random-bytes</c>, <c>slow</c>, <c>full-disk</c>.</summary>
    public string Scenario { get; init; } = "all";

    public int Senders { get; init; } = 1000;

    public int SenderConcurrency { get; init; } = 16;

    /// <summary>The receiver's control idle timeout in the sender scenario, which reclaims senders that went silent.</summary>
    public int SilentTimeoutSeconds { get; init; } = 5;

    public int RandomConnections { get; init; } = 10_000;

    public int SlowConnections { get; init; } = 5_000;

    /// <summary>Loopback source addresses the slow connections come from (127.0.1.1 …).</summary>
    public int SlowAddresses { get; init; } = 16;

    /// <summary>Seconds the full-disk scenario streams into the 2 MiB recording folder.</summary>
    public int FullDiskSeconds { get; init; } = 20;

    public int Seed { get; init; } = 16;

    public int FdTolerance { get; init; } = 4;

    public int ThreadTolerance { get; init; } = 4;

    public int SettleSeconds { get; init; } = 90;

    public string? Out { get; init; }

    public static FaultOptions Parse(string[] args)
    {
        var repository = Directory.GetCurrentDirectory();
        var options = new FaultOptions { Repository = repository };
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new FormatException($"{args[i]} needs a value");
            int NextInt() => int.Parse(Next(), NumberStyles.None, CultureInfo.InvariantCulture);
            options = args[i] switch
            {
                "--repo" => options with { Repository = Next() },
                "--quick" => options with { Senders = 100, RandomConnections = 1000, SlowConnections = 1000, FullDiskSeconds = 15, SettleSeconds = 60 },
                "--senders" => options with { Senders = NextInt() },
                "--concurrency" => options with { SenderConcurrency = NextInt() },
                "--silent-timeout" => options with { SilentTimeoutSeconds = NextInt() },
                "--connections" => options with { RandomConnections = NextInt() },
                "--slow" => options with { SlowConnections = NextInt() },
                "--slow-addresses" => options with { SlowAddresses = NextInt() },
                "--disk-seconds" => options with { FullDiskSeconds = NextInt() },
                "--seed" => options with { Seed = NextInt() },
                "--settle" => options with { SettleSeconds = NextInt() },
                "--out" => options with { Out = Next() },
                ['-', ..] => throw new FormatException($"unknown option {args[i]}"),
                _ => options with { Scenario = args[i] },
            };
        }

        string[] scenarios = ["all", "senders", "random-bytes", "slow", "full-disk"];
        return scenarios.Contains(options.Scenario) ? options : throw new FormatException($"unknown scenario {options.Scenario}; one of {string.Join(", ", scenarios)}");
    }

    /// <summary>The shared test vectors (FairPlay exchange, AAC-ELD frames) beside the repository.</summary>
    public string Vectors => Path.GetFullPath(Path.Combine(Repository, "../shared/vectors"));
}
