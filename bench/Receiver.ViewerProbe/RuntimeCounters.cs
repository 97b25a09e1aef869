using System.Globalization;
using System.Text.Json.Nodes;

namespace Receiver.ViewerProbe;

/// <summary>
/// The receiver's runtime counters from <c>/metrics</c> (the <c>System.Runtime</c> meter): garbage collections by
/// generation, GC pause time, bytes allocated, lock contentions, thread-pool threads and work items.
/// </summary>
internal sealed class RuntimeCounters
{
    private static readonly string[] Names =
    [
        "dotnet_gc_collections_total{otel_scope_name=\"System.Runtime\",gc_heap_generation=\"gen0\"}",
        "dotnet_gc_collections_total{otel_scope_name=\"System.Runtime\",gc_heap_generation=\"gen1\"}",
        "dotnet_gc_collections_total{otel_scope_name=\"System.Runtime\",gc_heap_generation=\"gen2\"}",
        "dotnet_gc_pause_time_seconds_total",
        "dotnet_gc_heap_total_allocated_bytes_total",
        "dotnet_monitor_lock_contentions_total",
        "dotnet_thread_pool_thread_count_total",
        "dotnet_thread_pool_work_item_count_total",
    ];

    private readonly Dictionary<string, double> _values = [];

    public static async Task<RuntimeCounters> ReadAsync(HttpClient http, CancellationToken cancellationToken)
    {
        var text = await http.GetStringAsync("/metrics", cancellationToken);
        var counters = new RuntimeCounters();
        foreach (var line in text.Split('\n'))
        {
            foreach (var name in Names)
            {
                if (line.StartsWith(name, StringComparison.Ordinal) && (name.EndsWith('}') || line[name.Length] is '{' or ' '))
                {
                    counters._values[name] = double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture);
                }
            }
        }

        return counters;
    }

    public JsonObject Since(RuntimeCounters before, double seconds)
    {
        double Delta(int i) => _values.GetValueOrDefault(Names[i]) - before._values.GetValueOrDefault(Names[i]);
        return new JsonObject
        {
            ["gen0"] = Delta(0),
            ["gen1"] = Delta(1),
            ["gen2"] = Delta(2),
            ["gcPauseMs"] = Math.Round(Delta(3) * 1000, 1),
            ["allocatedMBps"] = Math.Round(Delta(4) / seconds / 1e6, 2),
            ["lockContentions"] = Delta(5),
            ["threadPoolThreads"] = _values.GetValueOrDefault(Names[6]),
            ["threadPoolWorkItemsPerSecond"] = Math.Round(Delta(7) / seconds),
        };
    }
}
