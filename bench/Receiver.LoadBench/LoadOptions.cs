using System.Globalization;

namespace Receiver.LoadBench;

/// <summary>
/// The command line. <c>fanout</c>: N senders × M viewers per session against a receiver of its own; <c>ingest</c>: the
/// same stream sent as fast as taken to UxPlay and to this receiver, alternating (run inside the network namespace
/// <c>bench/load.sh</c> makes, which also starts UxPlay).
/// </summary>
public sealed record LoadOptions
{
    public required string Repository { get; init; }

    /// <summary><c>fanout</c> or <c>ingest</c>.</summary>
    public string Mode { get; init; } = "fanout";

    /// <summary>The clip: <c>1080p60</c> (20 Mbit/s) or <c>720p60</c> (8 Mbit/s).</summary>
    public string Clip { get; init; } = "1080p60";

    /// <summary>Length of the encoded clip in seconds (the ingest sends all of it; real-time runs need warm-up + window).</summary>
    public int ClipSeconds { get; init; } = 180;

    public int Senders { get; init; } = 1;

    /// <summary>WebSocket viewers per session, in all.</summary>
    public int ViewersPerSession { get; init; }

    /// <summary>Of <see cref="ViewersPerSession"/>, how many read one message a second on purpose (slow viewers, skipped by the receiver).</summary>
    public int StalledPerSession { get; init; }

    /// <summary>Viewer modes, alternating: <c>mse</c>, <c>webcodecs</c>.</summary>
    public IReadOnlyList<string> Modes { get; init; } = ["mse", "webcodecs"];

    /// <summary>
    /// How the viewers read: <c>raw</c> (a minimal RFC 6455 client on plain sockets, read by <see cref="ViewerThreads"/>
    /// poll loops) or <c>clientws</c> (.NET's <c>ClientWebSocket</c>, one task each).
    /// </summary>
    public string Client { get; init; } = "raw";

    /// <summary>Threads that read the <c>raw</c> viewers (by default one per core).</summary>
    public int ViewerThreads { get; init; } = Environment.ProcessorCount;

    /// <summary>The <c>raw</c> viewers' loops read at most every this many milliseconds (0: whenever a socket has data).</summary>
    public double ReadIntervalMs { get; init; } = 10;

    /// <summary>
    /// Nice value of the <c>raw</c> viewers' loop threads (0: as the driver's others): −5 by default, so that on a
    /// machine busy with other work the viewers still read at full rate (they need about a fifth of a core).
    /// </summary>
    public int ViewerNice { get; init; } = -5;

    /// <summary>Receive buffer of each keeping-up <c>raw</c> viewer's socket in bytes (0: the kernel's autotuning).</summary>
    public int ReceiveBuffer { get; init; } = 4 * 1024 * 1024;

    /// <summary>Send as fast as the receiver takes it instead of at 60 frames a second.</summary>
    public bool Fast { get; init; }

    public double WarmupSeconds { get; init; } = 5;

    /// <summary>The measured window of a fan-out run.</summary>
    public double Seconds { get; init; } = 30;

    /// <summary>
    /// Media seconds of one stream sent as fast as taken to each receiver before anything is measured (0: none; by
    /// default the whole clip), so that loading and compiling code is not counted: the JIT's tiers, PGO included, take
    /// a few thousand packets and, on a busy machine, seconds of background compiling before the hot path is final.
    /// </summary>
    public double? WarmStreamSeconds { get; init; }

    /// <summary>Ingest: runs per receiver (alternating).</summary>
    public int Runs { get; init; } = 5;

    /// <summary>
    /// Ingest: the free memory each run's video dump lands in (<c>--page-state hot|as-is</c>): by default the same
    /// just-freed pages for both receivers (<see cref="PageState"/>).
    /// </summary>
    public PageState PageState { get; init; } = PageState.Hot;

    /// <summary>Ingest: UxPlay's RTSP port (inside the namespace) and its process id.</summary>
    public int UxPlayPort { get; init; }

    public int UxPlayPid { get; init; }

    /// <summary>Ingest: the file UxPlay dumps the decrypted video into (its size shows it took the whole stream).</summary>
    public string? UxPlayDump { get; init; }

    /// <summary>Environment variables for the receiver only (<c>--receiver-env DOTNET_GCgen0size=0x1000000</c>): runtime settings to try without the driver getting them too.</summary>
    public IReadOnlyDictionary<string, string> ReceiverEnvironment { get; init; } = new Dictionary<string, string>();

    /// <summary>Extra receiver options (<c>--Receiver:…=…</c>).</summary>
    public IReadOnlyList<string> ReceiverOptions { get; init; } = [];

    /// <summary>Ingest: wait this long after the first run of our receiver so a profiler can attach (its pid is printed).</summary>
    public double ProfileWaitSeconds { get; init; }

    /// <summary>
    /// Fan-out: a profiler command started before the senders, split at spaces, with <c>{pid}</c> (the receiver's) and
    /// <c>{seconds}</c> (warm-up + window + 4, whole seconds: to about the window's end) filled in; it is waited for
    /// before the run ends.
    /// </summary>
    public string? TraceCommand { get; init; }

    /// <summary>
    /// Fan-out: start the receiver with <c>DOTNET_PerfMapEnabled=1</c> (and W^X off), so that perf names its compiled
    /// methods and the run lists the method bodies compiled during it (<see cref="JitMapSnapshot"/>).
    /// </summary>
    public bool PerfMap { get; init; }

    /// <summary>Fan-out: the receiver and the driver on separate cores (<c>--pin 1:0</c>).</summary>
    public CpuPinning? Pin { get; init; }

    /// <summary>Write the result (markdown table and JSON) to this file as well.</summary>
    public string? Out { get; init; }

    public string Vectors => Path.GetFullPath(Path.Combine(Repository, "../shared/vectors"));

    public static LoadOptions Parse(string[] args)
    {
        var options = new LoadOptions { Repository = Directory.GetCurrentDirectory() };
        var receiverOptions = new List<string>();
        var receiverEnvironment = new Dictionary<string, string>();
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new FormatException($"{args[i]} needs a value");
            int NextInt() => int.Parse(Next(), NumberStyles.None, CultureInfo.InvariantCulture);
            double NextDouble() => double.Parse(Next(), NumberStyles.Float, CultureInfo.InvariantCulture);
            switch (args[i])
            {
                case "--receiver-option": receiverOptions.Add(Next()); break;
                case "--receiver-env":
                    var setting = Next().Split('=', 2);
                    receiverEnvironment[setting[0]] = setting.Length == 2 ? setting[1] : throw new FormatException("--receiver-env NAME=VALUE");
                    break;
                default:
                    options = args[i] switch
                    {
                        "--repo" => options with { Repository = Next() },
                        "--clip" => options with { Clip = Next() },
                        "--clip-seconds" => options with { ClipSeconds = NextInt() },
                        "--senders" => options with { Senders = NextInt() },
                        "--viewers" => options with { ViewersPerSession = NextInt() },
                        "--stalled" => options with { StalledPerSession = NextInt() },
                        "--modes" => options with { Modes = Next().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) },
                        "--fast" => options with { Fast = true },
                        "--client" => options with { Client = Next() },
                        "--viewer-threads" => options with { ViewerThreads = NextInt() },
                        "--read-interval" => options with { ReadIntervalMs = NextDouble() },
                        "--viewer-nice" => options with { ViewerNice = int.Parse(Next(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture) },
                        "--receive-buffer" => options with { ReceiveBuffer = NextInt() },
                        "--warmup" => options with { WarmupSeconds = NextDouble() },
                        "--seconds" => options with { Seconds = NextDouble() },
                        "--warm-stream" => options with { WarmStreamSeconds = NextDouble() },
                        "--runs" => options with { Runs = NextInt() },
                        "--page-state" => options with
                        {
                            PageState = Next() switch
                            {
                                "hot" => PageState.Hot,
                                "as-is" => PageState.AsIs,
                                var other => throw new FormatException($"--page-state is hot or as-is, not {other}"),
                            },
                        },
                        "--uxplay-port" => options with { UxPlayPort = NextInt() },
                        "--uxplay-pid" => options with { UxPlayPid = NextInt() },
                        "--uxplay-dump" => options with { UxPlayDump = Next() },
                        "--profile-wait" => options with { ProfileWaitSeconds = NextDouble() },
                        "--out" => options with { Out = Next() },
                        "--perf-map" => options with { PerfMap = true },
                        "--pin" => options with { Pin = CpuPinning.Parse(Next()) },
                        "--trace-command" => options with { TraceCommand = Next() },
                        "fanout" or "ingest" => options with { Mode = args[i] },
                        _ => throw new FormatException($"unknown option {args[i]}"),
                    };
                    break;
            }
        }

        options = options with { ReceiverOptions = receiverOptions, ReceiverEnvironment = receiverEnvironment };
        if (options.Clip is not ("1080p60" or "720p60"))
        {
            throw new FormatException("--clip is 1080p60 or 720p60");
        }

        if (options.Client is not ("raw" or "clientws") || options.ViewerThreads < 1)
        {
            throw new FormatException("--client is raw or clientws; --viewer-threads ≥ 1");
        }

        if (options.Senders < 1 || options.StalledPerSession > options.ViewersPerSession || options.Modes.Any(m => m is not ("mse" or "webcodecs")))
        {
            throw new FormatException("--senders ≥ 1, --stalled ≤ --viewers, --modes of mse,webcodecs");
        }

        if (options.Mode == "ingest" && (options.UxPlayPort <= 0 || options.UxPlayPid <= 0))
        {
            throw new FormatException("ingest needs --uxplay-port and --uxplay-pid (bench/load.sh ingest starts UxPlay and passes them)");
        }

        return options;
    }
}
