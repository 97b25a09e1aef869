using System.Globalization;
using System.Text;
using Microsoft.Diagnostics.Tracing.Etlx;
using Microsoft.Diagnostics.Tracing.Parsers.Clr;

namespace Receiver.LoadBench;

/// <summary>
/// What allocated during a traced run: the runtime's allocation samples (<c>GCAllocationTick</c>, one about every
/// 100 KB allocated, with the type and the call stack) from a <c>.nettrace</c> file written by
/// <c>dotnet-trace collect --providers Microsoft-Windows-DotNETRuntime:0x1:5</c>, summed by type and by type and
/// stack (the innermost frames).
/// </summary>
public static class AllocationReport
{
    private const int StackFrames = 6;

    public static string Of(string nettracePath, int top = 15)
    {
        var etlx = TraceLog.CreateFromEventPipeDataFile(nettracePath);
        try
        {
            using var log = new TraceLog(etlx);
            var byType = new Dictionary<string, long>();
            var byStack = new Dictionary<string, long>();
            long total = 0;
            foreach (var data in log.Events)
            {
                if (data is not GCAllocationTickTraceData tick)
                {
                    continue;
                }

                var amount = tick.AllocationAmount64;
                var type = tick.TypeName ?? "?";
                total += amount;
                byType[type] = byType.GetValueOrDefault(type) + amount;
                var frames = new List<string>();
                for (var frame = data.CallStack(); frame is not null && frames.Count < StackFrames; frame = frame.Caller)
                {
                    var name = frame.CodeAddress.FullMethodName;
                    if (!name.Contains("AllocateNewArray", StringComparison.Ordinal))
                    {
                        frames.Add(string.IsNullOrEmpty(name) ? frame.CodeAddress.ModuleName + "!?" : name);
                    }
                }

                var key = type + " ← " + string.Join(" ← ", frames);
                byStack[key] = byStack.GetValueOrDefault(key) + amount;
            }

            var text = new StringBuilder();
            text.AppendLine(CultureInfo.InvariantCulture, $"allocation samples: {total / 1e6:F1} MB in all");
            text.AppendLine("| share | type |").AppendLine("|---:|---|");
            foreach (var (type, bytes) in byType.OrderByDescending(p => p.Value).Take(top))
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"| {100.0 * bytes / total:F1} % | {type} |");
            }

            text.AppendLine().AppendLine("| share | type ← allocating frames |").AppendLine("|---:|---|");
            foreach (var (stack, bytes) in byStack.OrderByDescending(p => p.Value).Take(top))
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"| {100.0 * bytes / total:F1} % | {stack} |");
            }

            return text.ToString();
        }
        finally
        {
            File.Delete(etlx);
        }
    }
}
