using System.Globalization;
using System.Text.Json.Nodes;

namespace Receiver.LoadBench;

/// <summary>
/// What the receiver's resident memory is made of at one moment: anonymous and file-backed pages
/// (<c>RssAnon</c>, <c>RssFile</c> of <c>/proc/PID/status</c>), and of the managed heap after the last collection each
/// generation (the pinned-object heap holds Kestrel's and the sockets' pinned blocks; the large-object heap buffers of
/// 85,000 bytes and more) and what the GC had committed. Anonymous memory beyond the committed heap is native: the
/// runtime, thread stacks, native libraries' buffers. The free fragment buffers the receiver's pool keeps are part of the heap.
/// </summary>
public sealed record MemoryBreakdown(long RssAnon, long RssFile, double Gen0, double Gen1, double Gen2, double Loh, double Poh, double Committed, double PoolFree)
{
    public static MemoryBreakdown Read(int pid, RuntimeReading runtime)
    {
        long anon = 0, file = 0;
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("RssAnon:", StringComparison.Ordinal))
            {
                anon = Kilobytes(line) * 1024;
            }
            else if (line.StartsWith("RssFile:", StringComparison.Ordinal))
            {
                file = Kilobytes(line) * 1024;
            }
        }

        return new MemoryBreakdown(anon, file, runtime.HeapBytesOf("gen0"), runtime.HeapBytesOf("gen1"), runtime.HeapBytesOf("gen2"),
            runtime.HeapBytesOf("loh"), runtime.HeapBytesOf("poh"), runtime.CommittedBytes, runtime.PoolFreeBytes);
    }

    private static long Kilobytes(string line) => long.Parse(line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);

    private static double MiB(double bytes) => Math.Round(bytes / (1024 * 1024), 1);

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"RSS anon {MiB(RssAnon)} MiB, file {MiB(RssFile)} MiB; GC committed {MiB(Committed)} MiB; heap gen0 {MiB(Gen0)}, gen1 {MiB(Gen1)}, gen2 {MiB(Gen2)}, LOH {MiB(Loh)}, POH {MiB(Poh)} MiB; free fragment buffers {MiB(PoolFree)} MiB");

    public JsonObject ToJson() => new()
    {
        ["rssAnonMiB"] = MiB(RssAnon),
        ["rssFileMiB"] = MiB(RssFile),
        ["gcCommittedMiB"] = MiB(Committed),
        ["fragmentPoolFreeMiB"] = MiB(PoolFree),
        ["heapMiB"] = new JsonObject { ["gen0"] = MiB(Gen0), ["gen1"] = MiB(Gen1), ["gen2"] = MiB(Gen2), ["loh"] = MiB(Loh), ["poh"] = MiB(Poh) },
    };
}
