using System.Globalization;
using System.Text;
using Microsoft.Playwright;
using Receiver.ViewerBench;

// The viewer benchmark: a phone-like sender simulator sends a pre-encoded clip in real time to the receiver, the
// viewer page plays it in headless Chromium, and one table row is printed per player × sound × size × machine load.
// `--clip SIZE [--repo DIR]`: encode (once) the clip of that size into bench/.cache and print its path, for the other
// drivers in bench/ that send the same clip.
if (args.Length >= 2 && args[0] == "--clip")
{
    var root = args.Length >= 4 && args[2] == "--repo" ? args[3] : Directory.GetCurrentDirectory();
    Console.WriteLine(await TestClip.EnsureAsync(Path.Combine(Path.GetFullPath(root), "bench", ".cache"), ClipSize.Parse(args[1]), CancellationToken.None));
    return 0;
}

BenchOptions options;
try
{
    options = BenchOptions.Parse(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    Console.Error.WriteLine(BenchOptions.Usage);
    return 2;
}

using var cts = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cts.Cancel();
};

var repository = Path.GetFullPath(options.Repository);
var work = Directory.CreateTempSubdirectory("viewer-bench-").FullName;
var clips = new Dictionary<ClipSize, string>();
foreach (var size in options.Sizes)
{
    clips[size] = await TestClip.EnsureAsync(Path.Combine(repository, "bench", ".cache"), size, cts.Token);
}

var started = DateTime.UtcNow;
var rows = new List<CaseResult>();
await using (var receiver = await ReceiverUnderTest.StartAsync(repository, work, cts.Token))
{
    using var playwright = await Playwright.CreateAsync();
    await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
    {
        ExecutablePath = options.Chromium,
        Headless = true,
        Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--autoplay-policy=no-user-gesture-required"],
    });
    var seen = new HashSet<string>();
    Console.WriteLine(CaseResult.Header);
    foreach (var busy in options.Loads)
    {
        var loops = new List<ChildProcess>();
        if (busy)
        {
            for (var i = 0; i < 2; i++)
            {
                loops.Add(ChildProcess.Start("sh", ["-c", "while :; do :; done"], Path.Combine(work, "busy.log")));
            }
        }

        try
        {
            foreach (var size in options.Sizes)
            {
                foreach (var player in options.Players)
                {
                    foreach (var sound in options.Sound)
                    {
                        for (var r = 0; r < options.Repeat; r++)
                        {
                            var benchCase = new BenchCase(player, sound, size, busy);
                            var result = await RunCaseAsync(receiver, browser, benchCase, clips[size], options, seen, work, cts.Token);
                            rows.Add(result);
                            Console.WriteLine(result.Row());
                        }
                    }
                }
            }
        }
        finally
        {
            foreach (var loop in loops)
            {
                await loop.DisposeAsync();
            }
        }
    }
}

var report = new StringBuilder()
    .AppendLine(CultureInfo.InvariantCulture, $"Measured {started:yyyy-MM-dd HH:mm} UTC on {Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}, Chromium {options.Chromium} (headless, software decode); {options.Seconds} s per run, the viewer joining {options.JoinAfter:0.#} s into the stream (IDR every 2 s), figures from {CaseResult.SettleMs / 1000:0} s after the first picture.")
    .AppendLine()
    .AppendLine(CaseResult.Header);
foreach (var row in rows)
{
    report.AppendLine(row.Row());
}

if (options.Output is { } output)
{
    await File.WriteAllTextAsync(output, report.ToString());
    Console.Error.WriteLine($"table written to {output}");
}

Console.Error.WriteLine($"logs in {work}");
return rows.All(r => string.IsNullOrEmpty(r.Error)) ? 0 : 1;

static async Task<CaseResult> RunCaseAsync(
    ReceiverUnderTest receiver, IBrowser browser, BenchCase benchCase, string clip, BenchOptions options, HashSet<string> seen, string work, CancellationToken cancellationToken)
{
    var name = benchCase.Name.Replace(' ', '-');
    await using var sender = receiver.StartSender(clip, benchCase.Size, benchCase.Sound, (int)Math.Ceiling(options.Seconds + 2 + options.JoinAfter), name);
    var id = await receiver.WaitForSessionAsync(seen, TimeSpan.FromSeconds(20), cancellationToken);
    // A viewer who joins later than the first keyframe receives the GOP so far.
    await Task.Delay(TimeSpan.FromSeconds(options.JoinAfter), cancellationToken);
    await using var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 720 } });
    var page = await context.NewPageAsync();
    var probe = new ViewerProbe(page);
    await page.GotoAsync(new Uri(receiver.WebUrl, $"/view/{id}?mode={benchCase.Player}").ToString());
    await probe.InstallAsync();
    var opened = (await probe.SampleAsync()).Time;
    var samples = new List<PageSample>();
    while (!sender.HasExited && !cancellationToken.IsCancellationRequested)
    {
        samples.Add(await probe.SampleAsync());
        await Task.Delay(ViewerProbe.Interval, cancellationToken);
    }

    // The last samples may see the stream end; leave out the last half second.
    var last = samples.Count > 0 ? samples[^1].Time - 500 : 0;
    samples = samples.Where(s => s.Time <= last).ToList();
    var latencies = await probe.LatenciesAsync();
    var added = await probe.ReceiverAddedAsync();
    var exit = await sender.WaitForExitAsync(TimeSpan.FromSeconds(30));
    var result = CaseResult.Compute(benchCase, samples, latencies, added, opened);
    if (exit != 0)
    {
        result = result with { Error = $"sender exited with {exit}; see {Path.Combine(work, $"sender-{name}.log")}" };
    }

    return result;
}
