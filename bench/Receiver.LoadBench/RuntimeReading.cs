using System.Globalization;

namespace Receiver.LoadBench;

/// <summary>
/// The receiver's runtime figures from its <c>/metrics</c> (the <c>System.Runtime</c> meter) and its media counters:
/// collections by generation, pause time, bytes allocated, the managed heap after the last collection, methods the JIT
/// compiled, and the video fragments dropped for viewers that fell behind.
/// </summary>
public sealed class RuntimeReading
{
    private readonly Dictionary<string, double> _values = [];

    public double Gen0 => Get("dotnet_gc_collections_total", "gen0");

    public double Gen1 => Get("dotnet_gc_collections_total", "gen1");

    public double Gen2 => Get("dotnet_gc_collections_total", "gen2");

    public double PauseSeconds => Get("dotnet_gc_pause_time_seconds_total");

    public double AllocatedBytes => Get("dotnet_gc_heap_total_allocated_bytes_total");

    /// <summary>Managed heap (all generations) after the last collection.</summary>
    public double HeapBytes => Get("dotnet_gc_last_collection_heap_size_bytes");

    /// <summary>One generation's part of <see cref="HeapBytes"/>: <c>gen0</c>, <c>gen1</c>, <c>gen2</c>, <c>loh</c> or <c>poh</c>.</summary>
    public double HeapBytesOf(string generation) => Get("dotnet_gc_last_collection_heap_size_bytes", generation);

    public double CommittedBytes => Get("dotnet_gc_last_collection_memory_committed_size_bytes");

    /// <summary>Methods the JIT compiled since start-up (every tier counts) and the time it spent.</summary>
    public double JitMethods => Get("dotnet_jit_compiled_methods");

    public double JitSeconds => Get("dotnet_jit_compilation_time_seconds");

    public double DroppedFragments => Get("receiver_fragments_dropped");

    /// <summary>Free fragment buffers the receiver's shared pool keeps, in bytes.</summary>
    public double PoolFreeBytes => Get("receiver_fragments_pool_free");

    public double FramesReceived => Get("receiver_frames_received");

    public static async Task<RuntimeReading> ReadAsync(HttpClient http, CancellationToken cancellationToken)
    {
        var text = await http.GetStringAsync("/metrics", cancellationToken);
        return Parse(text);
    }

    /// <summary>Reads the Prometheus text format: one <c>name{labels} value [timestamp]</c> a line, comments skipped.</summary>
    public static RuntimeReading Parse(string text)
    {
        var reading = new RuntimeReading();
        foreach (var line in text.Split('\n'))
        {
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            // name{labels} value [timestamp]: the labels may hold spaces, the value follows them.
            var close = line.LastIndexOf('}');
            var space = line.IndexOf(' ', close < 0 ? 0 : close);
            if (space <= 0)
            {
                continue;
            }

            var rest = line[(space + 1)..].TrimStart();
            var end = rest.IndexOf(' ');
            if (!double.TryParse(end < 0 ? rest : rest[..end], NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            {
                continue;
            }

            var key = line[..space];
            reading._values[key] = reading._values.GetValueOrDefault(key) + value;
        }

        return reading;
    }

    /// <summary>The sum over every series whose name starts with <paramref name="metric"/> (units and <c>_total</c> follow) and whose labels contain <paramref name="label"/>.</summary>
    private double Get(string metric, string? label = null)
    {
        double sum = 0;
        foreach (var (key, value) in _values)
        {
            var brace = key.IndexOf('{', StringComparison.Ordinal);
            var name = brace < 0 ? key : key[..brace];
            if (name.StartsWith(metric, StringComparison.Ordinal) && (label is null || key.Contains($"\"{label}\"", StringComparison.Ordinal)))
            {
                sum += value;
            }
        }

        return sum;
    }
}
