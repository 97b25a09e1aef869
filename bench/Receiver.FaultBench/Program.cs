using System.Globalization;
using Receiver.FaultBench;

// Fault cycles against the receiver's Release build: each scenario starts its own receiver, measures it from outside,
// does harm, waits for it to settle and prints one row of the leftover table.
FaultOptions options;
try
{
    options = FaultOptions.Parse(args);
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

var work = Directory.CreateTempSubdirectory("fault-cycles-").FullName;
await Console.Error.WriteLineAsync($"work folder (receiver logs): {work}");
var cache = Path.Combine(options.Repository, "bench/.cache");
var results = new List<ScenarioResult>();
bool Wants(string name) => options.Scenario is "all" || options.Scenario == name;
var started = DateTime.UtcNow;

if (Wants("senders"))
{
    await ReportAsync(await new SenderKillScenario(options, work, cache).RunAsync(stop.Token));
}

if (Wants("random-bytes"))
{
    await ReportAsync(await new RandomBytesScenario(options, work, cache).RunAsync(stop.Token));
}

if (Wants("slow"))
{
    await ReportAsync(await new SlowConnectionScenario(options, work).RunAsync(stop.Token));
}

if (Wants("full-disk"))
{
    await ReportAsync(await new FullDiskScenario(options, work, cache).RunAsync(stop.Token));
}

// Each row as soon as its scenario ends, on standard error; the whole table on standard output at the end.
async Task ReportAsync(ScenarioResult result)
{
    results.Add(result);
    await Console.Error.WriteLineAsync(result.TableRow());
}

var table = string.Join('\n',
[
    string.Create(CultureInfo.InvariantCulture, $"Fault cycles, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, {(DateTime.UtcNow - started).TotalMinutes:F1} min; figures are baseline → after settling"),
    string.Empty,
    ScenarioResult.TableHeader,
    .. results.Select(r => r.TableRow()),
    string.Empty,
    .. results.Select(r => r.Details()),
]);
Console.WriteLine(table);
if (options.Out is { } output)
{
    await File.WriteAllTextAsync(output, table + "\n");
}

return results.All(r => r.Passed) ? 0 : 1;
