using System.Globalization;
using System.Text.Json;

namespace Receiver.FaultBench;

/// <summary>
/// What the receiver process holds, read from outside: live sessions (<c>GET /api/sessions</c>), open file
/// descriptors (<c>/proc/PID/fd</c>), threads (<c>/proc/PID/task</c>), child processes (ffmpeg among them), the
/// live managed heap after a full collection (the <c>System.Runtime</c> meter on <c>/metrics</c>) and the resident set.
/// </summary>
/// <remarks>
/// <see cref="CodeFiles"/> counts the descriptors of code files (<c>.dll</c>, <c>.pdb</c>, <c>.so</c>): the runtime opens
/// such a file once, the first time it needs it (e.g. to format the first stack trace it logs), and keeps it for the
/// life of the process, so more of them after a scenario is not a leak.
/// </remarks>
public sealed record ReceiverFootprint(int Sessions, int FileDescriptors, int CodeFiles, int Threads, int Children, int FfmpegChildren, long ManagedBytes, long ResidentBytes)
{
    /// <summary>Descriptors other than code files: sockets, pipes, event handles, data files.</summary>
    public int HeldDescriptors => FileDescriptors - CodeFiles;

    /// <summary>Reads every figure; <paramref name="collect"/> first induces a full garbage collection, so the managed figure is what is live.</summary>
    public static async Task<ReceiverFootprint> ReadAsync(ReceiverProcess receiver, bool collect, CancellationToken cancellationToken)
    {
        if (collect)
        {
            await InducedCollection.RunAsync(receiver, cancellationToken);
        }

        var (children, ffmpeg) = ReadChildren(receiver.Pid);
        return new ReceiverFootprint(
            await ReadSessionsAsync(receiver, cancellationToken),
            CountEntries($"/proc/{receiver.Pid}/fd"),
            DescribeDescriptors(receiver.Pid).Where(d => IsCodeFile(d.Key)).Sum(d => d.Value),
            CountEntries($"/proc/{receiver.Pid}/task"),
            children,
            ffmpeg,
            collect ? await ReadManagedBytesAsync(receiver, cancellationToken) : 0,
            ReadResidentBytes(receiver.Pid));
    }

    public static async Task<int> ReadSessionsAsync(ReceiverProcess receiver, CancellationToken cancellationToken)
    {
        using var response = await receiver.Http.GetAsync("/api/sessions", cancellationToken);
        response.EnsureSuccessStatusCode();
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
        return document.RootElement.GetArrayLength();
    }

    /// <summary>
    /// The live managed heap after the last collection: <c>dotnet.gc.last_collection.heap.size</c> less
    /// <c>dotnet.gc.last_collection.heap.fragmentation.size</c>, summed over the generations. Free space between
    /// objects (mostly in the pinned heap, where sockets keep their buffers) is not memory the receiver holds on to.
    /// </summary>
    public static async Task<long> ReadManagedBytesAsync(ReceiverProcess receiver, CancellationToken cancellationToken)
    {
        var heap = await ReadMetricAsync(receiver, "dotnet_gc_last_collection_heap_size_bytes{", cancellationToken);
        var free = await ReadMetricAsync(receiver, "dotnet_gc_last_collection_heap_fragmentation_size_bytes{", cancellationToken);
        return (long)(heap - free);
    }

    /// <summary>A counter of the receiver's <c>/metrics</c> (summed over its labels), e.g. <c>dotnet_gc_collections_total</c> with a generation label.</summary>
    public static async Task<double> ReadMetricAsync(ReceiverProcess receiver, string prefix, CancellationToken cancellationToken)
    {
        var total = 0.0;
        foreach (var line in (await receiver.Http.GetStringAsync("/metrics", cancellationToken)).Split('\n'))
        {
            if (line.StartsWith(prefix, StringComparison.Ordinal))
            {
                total += double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture);
            }
        }

        return total;
    }

    /// <summary>Direct children of <paramref name="pid"/> (from every thread's <c>children</c> list) and how many of them are ffmpeg.</summary>
    public static (int Children, int Ffmpeg) ReadChildren(int pid)
    {
        var children = new HashSet<int>();
        try
        {
            foreach (var task in Directory.EnumerateDirectories($"/proc/{pid}/task"))
            {
                try
                {
                    foreach (var id in File.ReadAllText(Path.Combine(task, "children")).Split(' ', StringSplitOptions.RemoveEmptyEntries))
                    {
                        children.Add(int.Parse(id, CultureInfo.InvariantCulture));
                    }
                }
                catch (IOException)
                {
                    // the thread ended meanwhile
                }
            }
        }
        catch (IOException)
        {
        }

        var ffmpeg = 0;
        foreach (var child in children)
        {
            try
            {
                if (File.ReadAllText($"/proc/{child}/comm").Trim() is "ffmpeg" or "ffprobe")
                {
                    ffmpeg++;
                }
            }
            catch (IOException)
            {
            }
        }

        return (children.Count, ffmpeg);
    }

    /// <summary>What the process's file descriptors point at, by kind: <c>socket</c>, <c>pipe</c>, <c>anon_inode:[eventfd]</c>, or the file's path.</summary>
    public static Dictionary<string, int> DescribeDescriptors(int pid)
    {
        var kinds = new Dictionary<string, int>(StringComparer.Ordinal);
        try
        {
            foreach (var fd in Directory.EnumerateFileSystemEntries($"/proc/{pid}/fd"))
            {
                try
                {
                    var target = new FileInfo(fd).LinkTarget ?? "?";
                    var kind = target.StartsWith("socket:", StringComparison.Ordinal) ? "socket" : target.StartsWith("pipe:", StringComparison.Ordinal) ? "pipe" : target;
                    kinds[kind] = kinds.GetValueOrDefault(kind) + 1;
                }
                catch (IOException)
                {
                }
            }
        }
        catch (IOException)
        {
        }

        return kinds;
    }

    /// <summary>The kinds of descriptors there are more of now than in <paramref name="before"/>, e.g. <c>pipe +6</c>.</summary>
    public static string DescriptorGrowth(Dictionary<string, int> before, Dictionary<string, int> after)
    {
        var grown = after.Where(a => a.Value > before.GetValueOrDefault(a.Key)).Select(a => $"{a.Key} +{a.Value - before.GetValueOrDefault(a.Key)}").ToList();
        return grown.Count == 0 ? "none" : string.Join(", ", grown);
    }

    private static bool IsCodeFile(string target) =>
        target.EndsWith(".dll", StringComparison.Ordinal) || target.EndsWith(".pdb", StringComparison.Ordinal) || target.Contains(".so", StringComparison.Ordinal);

    private static int CountEntries(string directory)
    {
        try
        {
            return Directory.EnumerateFileSystemEntries(directory).Count();
        }
        catch (IOException)
        {
            return -1;
        }
    }

    private static long ReadResidentBytes(int pid)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
            }
        }

        return 0;
    }
}
