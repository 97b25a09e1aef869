namespace Receiver.Web.Tests.Sender;

/// <summary>A scratch directory for one sender test, deleted afterwards.</summary>
internal sealed class SenderTempDirectory : IDisposable
{
    public SenderTempDirectory(string label)
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "airplay-sender-tests", label + "-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
