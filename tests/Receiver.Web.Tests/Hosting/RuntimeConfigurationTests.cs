using System.Text.Json;

namespace Receiver.Web.Tests.Hosting;

/// <summary>
/// The receiver's runtime settings that the media path depends on (docs/PERFORMANCE.md, "Media path under load"):
/// Server GC without dynamic adaptation, whose small gen0 budget brought a collection every few seconds that paused
/// the media path for tens of milliseconds on a busy machine.
/// </summary>
public sealed class RuntimeConfigurationTests
{
    [Fact]
    public void ReceiverRuntimeConfig_ServerGcWithoutDynamicAdaptation()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Receiver.Web.runtimeconfig.json");
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        var properties = document.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties");

        Assert.True(properties.GetProperty("System.GC.Server").GetBoolean());
        Assert.Equal(0, properties.GetProperty("System.GC.DynamicAdaptationMode").GetInt32());
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
