namespace Receiver.Sender;

/// <summary>Finds the shared test material (FairPlay vectors, AAC-ELD frames) next to the repository.</summary>
public static class SharedFiles
{
    /// <summary>The shared <c>vectors</c> folder: <c>$AIRPLAY_VECTORS</c>, else <c>../shared/vectors</c> beside the directory holding Receiver.sln.</summary>
    public static string? LocateVectors()
    {
        if (Environment.GetEnvironmentVariable("AIRPLAY_VECTORS") is { Length: > 0 } configured)
        {
            return configured;
        }

        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Receiver.sln")))
                {
                    var vectors = Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "vectors"));
                    if (Directory.Exists(vectors))
                    {
                        return vectors;
                    }
                }
            }
        }

        return null;
    }
}
