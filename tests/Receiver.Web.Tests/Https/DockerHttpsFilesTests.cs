namespace Receiver.Web.Tests.Https;

/// <summary>The Dockerfile and docker-compose.yml, read as a user would (no Docker daemon needed): HTTPS is exposed and its certificate kept in <c>/data</c>.</summary>
public sealed class DockerHttpsFilesTests
{
    [Fact]
    public void Dockerfile_ExposesHttpsAndKeepsTheDataDirectoryInAVolume()
    {
        var dockerfile = File.ReadAllText(Path.Combine(TestPaths.RepositoryRoot, "Dockerfile"));

        Assert.Matches(@"(?m)^EXPOSE\s+.*\b8443\b", dockerfile);
        Assert.Matches(@"(?m)^VOLUME\s+/data\s*$", dockerfile);
        Assert.Contains("Receiver__DataDirectory=/data", dockerfile, StringComparison.Ordinal);
    }

    [Fact]
    public void Compose_SetsTheHttpsPortAndMountsData()
    {
        var compose = File.ReadAllText(Path.Combine(TestPaths.RepositoryRoot, "docker-compose.yml"));

        Assert.Contains("Receiver__Web__HttpsPort: \"8443\"", compose, StringComparison.Ordinal);
        Assert.Contains("Receiver__DataDirectory: \"/data\"", compose, StringComparison.Ordinal);
        Assert.Matches(@"(?m)^\s+- receiver-data:/data\s*$", compose);
        Assert.Contains("network_mode: host", compose, StringComparison.Ordinal);
    }
}
