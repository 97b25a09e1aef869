using System.Diagnostics;

namespace Receiver.LoadBench;

/// <summary>
/// A scratch file written into the page cache and deleted (no fsync: its pages never reach the disk), so that the
/// next large write on the same file system lands in pages that were in use a moment ago. The driver does it, not a
/// receiver, so its cost is in neither receiver's CPU.
/// </summary>
public static class ScratchWrite
{
    private const int ChunkBytes = 1024 * 1024;

    /// <summary>The unaligned writes run from 8 KiB to 8 + this many KiB, about one access unit of a 20 Mbit/s stream on average.</summary>
    private const int PictureSpreadBytes = 72 * 1024;

    /// <summary>
    /// Writes <paramref name="bytes"/> into a file in <paramref name="directory"/> twice over, once in picture-sized
    /// writes at unaligned offsets (as a video dump writes one access unit at a time, which the kernel caches in small
    /// folios taken from the small free blocks) and once in 1 MiB writes (large folios, taken from the large free
    /// blocks), waits for <paramref name="beforeDelete"/> (which says what it waited for), then deletes the file: the
    /// memory both kinds of writes draw from is then just-freed, whichever way a receiver writes.
    /// </summary>
    public static async Task<(TimeSpan Written, string DeletedWhen)> WriteAndDeleteAsync(
        string directory, long bytes, Func<CancellationToken, Task<string>> beforeDelete, CancellationToken cancellationToken)
    {
        var path = Path.Combine(directory, "page-state.scratch");
        var chunk = new byte[ChunkBytes];
        Array.Fill(chunk, (byte)0x5A);
        try
        {
            var started = Stopwatch.GetTimestamp();
            await using (var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 0))
            {
                var picture = 0u;
                for (long written = 0; written < bytes; picture++)
                {
                    var size = 8 * 1024 + 1 + (int)((picture * 2654435761u >> 7) % PictureSpreadBytes);
                    await file.WriteAsync(chunk.AsMemory(0, size), cancellationToken);
                    written += size;
                }

                for (long written = 0; written < bytes; written += ChunkBytes)
                {
                    await file.WriteAsync(chunk, cancellationToken);
                }
            }

            var took = Stopwatch.GetElapsedTime(started);
            return (took, await beforeDelete(cancellationToken));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
