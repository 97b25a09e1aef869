using System.Globalization;
using System.Text;

namespace Receiver.FaultBench;

/// <summary>One target of a scenario and whether it was met.</summary>
public sealed record TargetCheck(string Name, bool Passed, string Detail);

/// <summary>One row of the leftover table: what was done, the receiver's figures before and after, and the targets.</summary>
public sealed record ScenarioResult(string Scenario, string Done, ReceiverFootprint? Baseline, ReceiverFootprint? After, IReadOnlyList<TargetCheck> Checks, IReadOnlyList<string> Notes)
{
    public bool Passed => Checks.All(c => c.Passed);

    /// <summary>A scenario that could not run here (e.g. a tmpfs mount without root).</summary>
    public static ScenarioResult Skipped(string scenario, string reason) => new(scenario, "skipped: " + reason, null, null, [], []);

    public static string TableHeader =>
        "| scenario | what was done | sessions | fds | threads | children (ffmpeg) | managed MiB | RSS MiB | targets |\n" +
        "|---|---|---|---|---|---|---|---|---|";

    public string TableRow()
    {
        string Pair(Func<ReceiverFootprint, string> figure) => Baseline is null || After is null ? "–" : $"{figure(Baseline)} → {figure(After)}";
        static string MiB(long bytes) => (bytes / 1048576.0).ToString("F1", CultureInfo.InvariantCulture);
        var targets = Checks.Count == 0 ? "–" : Passed ? "pass" : "FAIL: " + string.Join("; ", Checks.Where(c => !c.Passed).Select(c => $"{c.Name} ({c.Detail})"));
        return $"| {Scenario} | {Done} | {Pair(f => f.Sessions.ToString(CultureInfo.InvariantCulture))} | {Pair(f => f.FileDescriptors.ToString(CultureInfo.InvariantCulture))} " +
               $"| {Pair(f => f.Threads.ToString(CultureInfo.InvariantCulture))} | {Pair(f => $"{f.Children} ({f.FfmpegChildren})")} " +
               $"| {Pair(f => MiB(f.ManagedBytes))} | {Pair(f => MiB(f.ResidentBytes))} | {targets} |";
    }

    public string Details()
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{Scenario}:\n");
        foreach (var check in Checks)
        {
            text.Append(CultureInfo.InvariantCulture, $"  [{(check.Passed ? "pass" : "FAIL")}] {check.Name}: {check.Detail}\n");
        }

        foreach (var note in Notes)
        {
            text.Append(CultureInfo.InvariantCulture, $"  - {note}\n");
        }

        return text.ToString();
    }
}
