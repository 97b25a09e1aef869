using System.Text.RegularExpressions;
using Receiver.Web.Tests.Infrastructure;

namespace Receiver.Web.Tests.Admin;

/// <summary>
/// How the receiver is published (docs/PERFORMANCE.md, "Ingest cost"): for a runtime identifier it is self-contained,
/// one composite ReadyToRun image, with tiered compilation off (on x64 for x86-64-v3 with AES); a plain build keeps the
/// runtime's tiering. The Dockerfile and the load driver must publish it that same way, so what is measured is what ships.
/// </summary>
public sealed partial class PublishSettingsTests
{
    private static readonly string Project = Path.Combine(TestPaths.RepositoryRoot, "src/Receiver.Web/Receiver.Web.csproj");

    [Fact]
    public async Task Publish_ForLinuxX64_IsOneCompositeImageWithoutTiering()
    {
        var properties = await EvaluateAsync("-p:RuntimeIdentifier=linux-x64");

        Assert.Equal("true", properties["PublishReadyToRun"]);
        Assert.Equal("true", properties["PublishReadyToRunComposite"]);
        Assert.Equal("true", properties["SelfContained"]);
        Assert.Equal("false", properties["TieredCompilation"]);
        Assert.Equal("false", properties["TieredPGO"]);
        Assert.Equal("--instruction-set:x86-64-v3,aes", properties["PublishReadyToRunCrossgen2ExtraArgs"]);
    }

    [Fact]
    public async Task Publish_ForArm64_IsCompositeWithoutAnX64InstructionSet()
    {
        var properties = await EvaluateAsync("-p:RuntimeIdentifier=linux-arm64");

        Assert.Equal("true", properties["PublishReadyToRunComposite"]);
        Assert.Equal("false", properties["TieredCompilation"]);
        Assert.Equal(string.Empty, properties["PublishReadyToRunCrossgen2ExtraArgs"]);
    }

    [Fact]
    public async Task Build_WithoutRuntimeIdentifier_KeepsTieringAndNoReadyToRun()
    {
        var properties = await EvaluateAsync();

        Assert.NotEqual("true", properties["PublishReadyToRun"]);
        Assert.Equal(string.Empty, properties["TieredCompilation"]);
        Assert.Equal("false", properties["TieredPGO"]);
    }

    [Fact]
    public void DockerfileAndLoadDriver_PublishForARuntimeWithoutOverridingTheProject()
    {
        var dockerfile = File.ReadAllText(Path.Combine(TestPaths.RepositoryRoot, "Dockerfile"));
        var loadDriver = File.ReadAllText(Path.Combine(TestPaths.RepositoryRoot, "bench/load.sh"));

        foreach (var script in new[] { dockerfile, loadDriver })
        {
            var publish = PublishCommand().Match(script);
            Assert.True(publish.Success, "no dotnet publish command");
            Assert.Contains(" -r ", publish.Value, StringComparison.Ordinal);
            Assert.DoesNotContain("--self-contained", publish.Value, StringComparison.Ordinal);
            Assert.DoesNotContain("-p:", publish.Value, StringComparison.Ordinal);
        }

        // The published receiver carries its runtime: the image starts its own executable on the runtime's dependencies.
        Assert.Matches(@"(?m)^FROM mcr\.microsoft\.com/dotnet/runtime-deps:", dockerfile);
        Assert.Matches(@"(?m)^ENTRYPOINT \[""\./Receiver\.Web""\]", dockerfile);
    }

    private static async Task<Dictionary<string, string>> EvaluateAsync(params string[] extra)
    {
        string[] names = ["PublishReadyToRun", "PublishReadyToRunComposite", "SelfContained", "TieredCompilation", "TieredPGO", "PublishReadyToRunCrossgen2ExtraArgs"];
        var (exit, output) = await ExternalTools.RunAsync("dotnet",
            ["msbuild", Project, "-nologo", "-p:Configuration=Release", .. extra, .. names.Select(n => $"-getProperty:{n}")],
            TimeSpan.FromMinutes(2));
        Assert.True(exit == 0, "msbuild failed:\n" + output);
        var json = System.Text.Json.JsonDocument.Parse(output[output.IndexOf('{', StringComparison.Ordinal)..]);
        return json.RootElement.GetProperty("Properties").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? string.Empty);
    }

    [GeneratedRegex(@"dotnet publish(?:\\\n|[^\n])*")]
    private static partial Regex PublishCommand();
}
