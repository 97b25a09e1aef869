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

    /// <summary>
    /// Writes <paramref name="bytes"/> (rounded up to whole MiB) into a file in <paramref name="directory"/>, waits for
    /// <paramref name="beforeDelete"/> (which says what it waited for), then deletes the file.
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
