using Receiver.Web.Tests.Infrastructure;

namespace Receiver.Web.Tests.Recording;

/// <summary>A small tmpfs mounted on a fresh folder for one test; unmounted and removed when disposed.</summary>
internal sealed class TmpfsMount : IAsyncDisposable
{
    private TmpfsMount(string path) => Path = path;

    public string Path { get; }

    /// <summary>Mounts a tmpfs of <paramref name="size"/> (mount's notation: <c>3m</c>) on a new folder under the temp folder.</summary>
    public static async Task<TmpfsMount> MountAsync(string size)
    {
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "airplay-receiver-tests", "tmpfs-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(path);
        var (code, output) = await ExternalTools.RunAsync("mount", ["-t", "tmpfs", "-o", $"size={size},mode=0755", "tmpfs", path]);
        if (code != 0)
        {
            Directory.Delete(path);
            throw new InvalidOperationException($"mount -t tmpfs failed ({code}): {output}");
        }

        return new TmpfsMount(path);
    }

    public async ValueTask DisposeAsync()
    {
        var (code, _) = await ExternalTools.RunAsync("umount", [Path]);
        if (code != 0)
        {
            // Still busy (a handle not yet closed): detach it now, the kernel frees it when the last handle goes.
            await ExternalTools.RunAsync("umount", ["-l", Path]);
        }

        try
        {
            Directory.Delete(Path);
        }
        catch (IOException)
        {
        }
    }
}
