using System.Globalization;
using System.Text;
using Microsoft.Playwright;
using Receiver.WebRtcBench;

// The WebRTC benchmark, run by bench/webrtc-latency.sh inside the receiver's network namespace: Janus, the receiver
// and the sender simulator run here, Chromium (through --chromium) on the viewer's side of the link. Either latency
// runs (frames shown, glass-to-glass, sound, A/V offset) or, with --fanout, the receiver's CPU with 1 and N viewers.
BenchOptions options;
try
{
    options = BenchOptions.Parse(args);
}
catch (Exception e) when (e is ArgumentException or FormatException)
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
var cache = Path.Combine(repository, "bench", ".cache");
var work = Directory.CreateTempSubdirectory("webrtc-bench-").FullName;
var report = new StringBuilder();
var methods = new StringBuilder();
var ok = true;
await using (var rig = await Rig.StartAsync(repository, work, options.PageHost, options.IceInterface, cts.Token))
{
    using var playwright = await Playwright.CreateAsync();
    await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
    {
        ExecutablePath = options.Chromium,
        Headless = true,
        Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--autoplay-policy=no-user-gesture-required",
            "--disable-features=WebRtcHideLocalIpsWithMdns"],
    });
    var seen = new HashSet<string>();
    if (options.Fanout.Count == 0)
    {
        var clip = await CodedClip.EnsureAsync(cache, 1280, 720, 60, 8000, 45, cts.Token);
        for (var r = 0; r < options.Repeat; r++)
        {
            var result = await LatencyRun.RunAsync(rig, browser, clip, options, seen, $"{r}", cts.Token);
            ok &= string.IsNullOrEmpty(result.Error);
            report.AppendLine(result.Row());
            methods.AppendLine(result.Methods.Row());
            Console.WriteLine(result.Row());
            Console.WriteLine(result.Methods.Row());
        }
    }
    else
    {
        var clip = await CodedClip.EnsureAsync(cache, 640, 360, 30, 1500, 240, cts.Token);
        await using var sender = rig.StartSender(clip, 30, 240, sound: true, "fanout");
        var id = await rig.WaitForSessionAsync(seen, TimeSpan.FromSeconds(30), cts.Token);
        var samples = new List<FanoutSample>();
        for (var r = 0; r < options.Repeat && !sender.HasExited; r++)
        {
            foreach (var viewers in options.Fanout)
            {
                var sample = await FanoutRun.RunAsync(rig, browser, id, viewers, options.FanoutSeconds, cts.Token);
                Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{viewers} viewers ({sample.Receiving} receiving): receiver {sample.ReceiverPercent:F1} %, ffmpeg {sample.FfmpegPercent:F1} %, Janus {sample.JanusPercent:F1} %, machine {sample.MachinePercent:F0} %"));
                samples.Add(sample);
            }
        }

        report.AppendLine(FanoutRun.Header);
        foreach (var group in samples.GroupBy(s => s.Viewers))
        {
            report.AppendLine(FanoutRun.Row(group.ToList()));
        }

        var medians = samples.GroupBy(s => s.Viewers).ToDictionary(g => g.Key, g => Receiver.ViewerBench.CaseResult.Percentile(g.Select(s => s.ReceiverPercent).ToArray(), 50));
        if (medians.Count >= 2)
        {
            var fewest = medians.Keys.Min();
            var most = medians.Keys.Max();
            report.AppendLine(string.Create(CultureInfo.InvariantCulture, $"\nreceiver CPU with {most} viewers / with {fewest}: {medians[most] / medians[fewest]:F2}×"));
        }

        Console.WriteLine(report.ToString());
    }
}

if (options.Output is { } output)
{
    if (options.Fanout.Count == 0 && !File.Exists(output))
    {
        await File.WriteAllTextAsync(output, LatencyResult.Header + Environment.NewLine);
    }

    await File.AppendAllTextAsync(output, report.ToString());
    if (options.Fanout.Count == 0)
    {
        // The A/V offset by each way of timing the sound, beside the main table.
        var methodsOutput = output + ".sound";
        if (!File.Exists(methodsOutput))
        {
            await File.WriteAllTextAsync(methodsOutput, SoundMethods.Header + Environment.NewLine);
        }

        await File.AppendAllTextAsync(methodsOutput, methods.ToString());
    }
}

Console.Error.WriteLine($"logs in {work}");
return ok ? 0 : 1;
