using System.Globalization;

namespace Receiver.WebRtcBench;

/// <summary>Command line of the WebRTC benchmark (bench/webrtc-latency.sh passes it).</summary>
public sealed record BenchOptions
{
    public string Repository { get; init; } = Directory.GetCurrentDirectory();

    /// <summary>The browser to launch: a script that runs Chromium on the viewer's side of the link.</summary>
    public string Chromium { get; init; } = "/usr/bin/chromium";

    /// <summary>The receiver's address on the link, where the viewer opens the page.</summary>
    public string PageHost { get; init; } = "127.0.0.1";

    /// <summary>The interface Janus offers ICE candidates on.</summary>
    public string IceInterface { get; init; } = "lo";

    /// <summary>What the link does to packets, for the table (e.g. "2 % loss").</summary>
    public string Link { get; init; } = "no loss";

    public int Seconds { get; init; } = 20;

    public int Repeat { get; init; } = 1;

    public double JoinAfter { get; init; } = 3;

    /// <summary>
    /// Seconds between the viewer's first picture and the measurement: Chromium's A/V sync moves the two streams'
    /// delays in steps over seconds, so a short settle measures where it starts rather than where it settles.
    /// </summary>
    public double Settle { get; init; } = 3;

    /// <summary>Viewer counts for the fan-out measurement (e.g. 1,50); empty: the latency measurement.</summary>
    public IReadOnlyList<int> Fanout { get; init; } = [];

    public int FanoutSeconds { get; init; } = 10;

    public string? Output { get; init; }

    public const string Usage =
        "webrtc-bench [--repo DIR] [--chromium PATH] [--page-host ADDR] [--ice-interface IF] [--link TEXT] [--seconds 20] " +
        "[--repeat 1] [--join-after 3] [--settle 3] [--fanout 1,50 [--fanout-seconds 10]] [--out rows.md]";

    public static BenchOptions Parse(string[] args)
    {
        var options = new BenchOptions();
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            options = args[i] switch
            {
                "--repo" => options with { Repository = Next() },
                "--chromium" => options with { Chromium = Next() },
                "--page-host" => options with { PageHost = Next() },
                "--ice-interface" => options with { IceInterface = Next() },
                "--link" => options with { Link = Next() },
                "--seconds" => options with { Seconds = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--repeat" => options with { Repeat = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--join-after" => options with { JoinAfter = double.Parse(Next(), CultureInfo.InvariantCulture) },
                "--settle" => options with { Settle = double.Parse(Next(), CultureInfo.InvariantCulture) },
                "--fanout" => options with { Fanout = Next().Split(',').Select(v => int.Parse(v, CultureInfo.InvariantCulture)).ToArray() },
                "--fanout-seconds" => options with { FanoutSeconds = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--out" => options with { Output = Next() },
                _ => throw new ArgumentException($"unknown argument {args[i]}"),
            };
        }

        return options;
    }
}
