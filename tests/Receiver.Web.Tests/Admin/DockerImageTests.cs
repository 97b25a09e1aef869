using Receiver.Web.Tests.Infrastructure;

namespace Receiver.Web.Tests.Admin;

[Collection(SerialCollection.Name)]
public sealed class DockerImageTests
{
    [DockerFact]
    public async Task Dockerfile_BuildsImageWithHealthCheckAndNonRootUser()
    {
        var tag = $"airplay-web-receiver-test:{Guid.NewGuid():N}";
        var (exit, output) = await ExternalTools.RunAsync("docker", ["build", "--tag", tag, TestPaths.RepositoryRoot], TimeSpan.FromMinutes(20));
        try
        {
            Assert.True(exit == 0, "docker build failed:\n" + output);
            var (inspectExit, config) = await ExternalTools.RunAsync("docker",
                ["image", "inspect", "--format", "{{.Config.User}}|{{json .Config.Healthcheck.Test}}|{{json .Config.ExposedPorts}}", tag]);

            Assert.Equal(0, inspectExit);
            var parts = config.Trim().Split('|');
            Assert.Equal("app", parts[0]);
            Assert.Contains("/healthz", parts[1], StringComparison.Ordinal);
            Assert.Contains("8080/tcp", parts[2], StringComparison.Ordinal);
            Assert.Contains("8443/tcp", parts[2], StringComparison.Ordinal);
            Assert.Contains("7000/tcp", parts[2], StringComparison.Ordinal);
            Assert.Contains("7100/tcp", parts[2], StringComparison.Ordinal);
        }
        finally
        {
            await ExternalTools.RunAsync("docker", ["image", "rm", "--force", tag]);
        }
    }
}
