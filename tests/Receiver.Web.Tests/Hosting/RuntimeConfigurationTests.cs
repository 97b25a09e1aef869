using System.Text.Json;

namespace Receiver.Web.Tests.Hosting;

/// <summary>
/// The receiver's runtime settings that the media path depends on (docs/PERFORMANCE.md, "Load against UxPlay"):
/// Server GC with its dynamic adaptation (DATAS). Without it gen0 grew to 200 MB per heap between collections, all
/// of it resident, which with 16 sessions was most of the receiver's memory; with fragments pooled, the more frequent
/// collections DATAS brings no longer pause the media path for long.
/// </summary>
public sealed class RuntimeConfigurationTests
{
    [Fact]
    public void ReceiverRuntimeConfig_ServerGcWithDynamicAdaptation()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Receiver.Web.runtimeconfig.json");
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        var properties = document.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties");

        Assert.True(properties.GetProperty("System.GC.Server").GetBoolean());
        Assert.Equal(1, properties.GetProperty("System.GC.DynamicAdaptationMode").GetInt32());
    }

    /// <summary>
    /// Without dynamic PGO a hot method goes from its first code to optimized code without the instrumented tiers,
    /// which kept the tiered-compilation thread busy during every new session (docs/PERFORMANCE.md, "Load against UxPlay").
    /// </summary>
    [Fact]
    public void ReceiverRuntimeConfig_TieredPgoOff()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Receiver.Web.runtimeconfig.json");
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        var properties = document.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties");

        Assert.False(properties.GetProperty("System.Runtime.TieredPGO").GetBoolean());
    }
}
