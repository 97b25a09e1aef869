using System.Globalization;
using System.Text;
using Microsoft.Diagnostics.Tracing;
using Microsoft.Diagnostics.Tracing.Parsers.Clr;

namespace Receiver.LoadBench;

/// <summary>
/// What the JIT compiled during a traced run and how long each took: the runtime's <c>MethodJittingStarted</c> and
/// <c>MethodLoadVerbose</c> events (a <c>.nettrace</c> written by
/// <c>dotnet-trace collect --providers Microsoft-Windows-DotNETRuntime:0x10:5</c>), paired by thread and method. A
/// body's JIT time is from the first event to the second on the compiling thread (wall time, so a compile preempted
/// by another thread counts its wait too). Sums by tier, by namespace and by method.
/// </summary>
public static class JitReport
{
    private sealed record Compiled(string Method, string Namespace, string Tier, double Milliseconds);

    public static string Of(string nettracePath, int top = 25)
    {
        var started = new Dictionary<(int Thread, long Method), double>();
        var compiled = new List<Compiled>();
        using (var source = new EventPipeEventSource(nettracePath))
        {
            source.Clr.MethodJittingStarted += e => started[(e.ThreadID, e.MethodID)] = e.TimeStampRelativeMSec;
            source.Clr.MethodLoadVerbose += e =>
            {
                if (!started.Remove((e.ThreadID, e.MethodID), out var start))
                {
                    return;
                }

                var name = $"{e.MethodNamespace}.{e.MethodName}";
                compiled.Add(new Compiled(name, Namespace(e.MethodNamespace), e.OptimizationTier.ToString(), e.TimeStampRelativeMSec - start));
            };
            source.Process();
        }

        var total = compiled.Sum(c => c.Milliseconds);
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"method bodies compiled: {compiled.Count}, JIT time {total:F0} ms");
        Table(text, "tier", compiled.GroupBy(c => c.Tier), total, compiled.Count, top);
        Table(text, "namespace", compiled.GroupBy(c => c.Namespace), total, compiled.Count, top);
        text.AppendLine().AppendLine("| method | bodies | tiers | JIT ms |").AppendLine("|---|---:|---|---:|");
        foreach (var method in compiled.GroupBy(c => c.Method).OrderByDescending(g => g.Sum(c => c.Milliseconds)).Take(top))
        {
            var tiers = string.Join(", ", method.Select(c => c.Tier).Distinct());
            text.AppendLine(CultureInfo.InvariantCulture, $"| `{Shorten(method.Key)}` | {method.Count()} | {tiers} | {method.Sum(c => c.Milliseconds):F1} |");
        }

        return text.ToString();
    }

    private static void Table(StringBuilder text, string title, IEnumerable<IGrouping<string, Compiled>> groups, double total, int count, int top)
    {
        text.AppendLine().AppendLine(CultureInfo.InvariantCulture, $"| {title} | bodies | share | JIT ms | share |").AppendLine("|---|---:|---:|---:|---:|");
        foreach (var group in groups.OrderByDescending(g => g.Sum(c => c.Milliseconds)).Take(top))
        {
            var ms = group.Sum(c => c.Milliseconds);
            text.AppendLine(CultureInfo.InvariantCulture, $"| {group.Key} | {group.Count()} | {100.0 * group.Count() / count:F1} % | {ms:F1} | {100 * ms / total:F1} % |");
        }
    }

    /// <summary>The first two parts of a type's namespace (<c>System.Text</c>, <c>Receiver.Core</c>), or <c>dynamic</c>.</summary>
    private static string Namespace(string typeName)
    {
        if (string.IsNullOrEmpty(typeName) || typeName.StartsWith("dynamicClass", StringComparison.Ordinal))
        {
            return "dynamic";
        }

        var generic = typeName.IndexOf('[', StringComparison.Ordinal);
        var plain = generic < 0 ? typeName : typeName[..generic];
        var parts = plain.Split('.');
        return parts.Length switch
        {
            1 => parts[0],
            2 => parts[0],
            _ when parts[0] == "Receiver" => string.Join('.', parts.Take(Math.Min(3, parts.Length - 1))),
            _ => string.Join('.', parts.Take(2)),
        };
    }

    private static string Shorten(string name) => name.Length <= 160 ? name : name[..157] + "…";
}
