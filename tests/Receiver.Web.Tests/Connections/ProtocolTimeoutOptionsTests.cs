using Microsoft.Extensions.DependencyInjection;
using Receiver.Web.Hosting;
using Receiver.Web.Tests.Infrastructure;

namespace Receiver.Web.Tests.Connections;

/// <summary>The request deadline and the first-bytes timeout come from <c>Receiver:Limits</c> and are checked at start.</summary>
public sealed class ProtocolTimeoutOptionsTests
{
    [Fact]
    public async Task Timeouts_FromConfiguration_AreTheRuntimes()
    {
        await using var host = await ReceiverHost.StartAsync("--Receiver:Limits:RequestTimeoutSeconds=30", "--Receiver:Limits:FirstBytesTimeoutSeconds=5");
        var runtime = host.App.Services.GetRequiredService<ReceiverRuntime>();

        Assert.Equal(TimeSpan.FromSeconds(30), runtime.RequestTimeout);
        Assert.Equal(TimeSpan.FromSeconds(5), runtime.FirstBytesTimeout);
        Assert.Equal(TimeSpan.FromSeconds(60), runtime.IdleTimeout);
    }

    [Theory]
    [InlineData("--Receiver:Limits:RequestTimeoutSeconds=0")]
    [InlineData("--Receiver:Limits:FirstBytesTimeoutSeconds=601")]
    public async Task Timeouts_OutOfRange_StopTheReceiverAtStartWithTheReason(string argument)
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(async () => await (await ReceiverHost.StartAsync(argument)).DisposeAsync());
        Assert.Contains(argument.Split(':')[2].Split('=')[0], error.Message, StringComparison.Ordinal);
    }
}
