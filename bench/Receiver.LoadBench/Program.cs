using System.Globalization;
using System.Text.Json;
using Receiver.LoadBench;

// The load driver: N simulated senders × M WebSocket viewers against the receiver's Release build in a child process
// (fanout), or the same stream sent as fast as taken to UxPlay and to this receiver, alternating (ingest; run by
// bench/load.sh inside a network namespace with UxPlay). Prints a markdown table on standard output, progress on
// standard error.
if (args is ["alloc-report", var nettrace])
{
    // The allocation samples of a traced run (bench/load.sh alloc), by type and by allocating frames.
    Console.WriteLine(AllocationReport.Of(nettrace));
    return 0;
}

if (args is ["jit-report", var jitTrace])
{
    // The JIT's events of a traced run (bench/drivers/jit-census.sh): bodies and JIT time by tier, namespace, method.
    Console.WriteLine(JitReport.Of(jitTrace));
    return 0;
}

LoadOptions options;
try
{
    options = LoadOptions.Parse(args);
}
catch (FormatException e)
{
    await Console.Error.WriteLineAsync(e.Message);
    return 2;
}

using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};

var work = Directory.CreateTempSubdirectory("load-bench-").FullName;
await Console.Error.WriteLineAsync($"work folder (receiver logs): {work}");
var machine = string.Create(CultureInfo.InvariantCulture,
    $"{DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, load average before: {File.ReadAllText("/proc/loadavg").Split(' ')[0]}");
string text;
var ok = true;
try
{
    if (options.Mode == "ingest")
    {
        var runs = await new IngestComparison(options, work).RunAsync(stop.Token);
        ok = runs.All(r => r.Error is null);
        text = machine + "\n\n" + IngestComparison.Report(runs, options);
    }
    else
    {
        text = await FanOutAsync();
    }
}
catch (Exception e) when (e is InvalidOperationException or TimeoutException or HttpRequestException or IOException)
{
    // A receiver that did not start, a sender that failed before the window, a receiver that went away: the run has no figures.
    await Console.Error.WriteLineAsync($"the run failed: {e.Message} (receiver logs in {work})");
    return 1;
}

Console.WriteLine(text);
if (options.Out is { } output)
{
    await File.AppendAllTextAsync(output, text + "\n\n");
}

return ok ? 0 : 1;

async Task<string> FanOutAsync()
{
    var result = await new FanOutRun(options, work).RunAsync(stop.Token);
    ok = result.SenderErrors.Count == 0;
    return string.Join('\n',
    [
        machine + string.Create(CultureInfo.InvariantCulture, $", load average after: {File.ReadAllText("/proc/loadavg").Split(' ')[0]}; window {options.Seconds:F0} s after {options.WarmupSeconds:F0} s{(options.Pin is { } pin ? "; " + pin : string.Empty)}"),
        string.Empty,
        FanOutResult.TableHeader,
        result.TableRow(),
        string.Empty,
        result.ToJson().ToJsonString(new JsonSerializerOptions { WriteIndented = false }),
        .. result.SenderErrors.Select(e => "sender error: " + e),
    ]);
}
