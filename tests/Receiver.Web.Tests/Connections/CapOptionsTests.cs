using Microsoft.Extensions.DependencyInjection;
using Receiver.Web.Connections;
using Receiver.Web.Media;
using Receiver.Web.Options;
using Receiver.Web.Tests.Infrastructure;

namespace Receiver.Web.Tests.Connections;

/// <summary>The caps come from configuration with safe defaults and are checked at start.</summary>
public sealed class CapOptionsTests
{
    [Fact]
    public void Defaults_AreTheDocumentedOnes()
    {
        var options = new ReceiverOptions();
        var viewer = new MediaWebSocketOptions();

        Assert.Equal(
            (64, 8, 60, 4 * 1024 * 1024, 2, 10, 4, 16, 64),
            (options.Limits.MaxControlConnections, options.Limits.MaxControlConnectionsPerAddress, options.Limits.RefusalLogIntervalSeconds,
             options.Limits.MaxUnmatchedMirrorBytes, options.Limits.MaxSnapshotProcesses, options.Limits.SnapshotTimeoutSeconds,
             options.Sessions.Max, viewer.MaxViewersPerSession, viewer.MaxViewers));
    }

    [Fact]
    public async Task Caps_FromConfiguration_AreTheLimitersOwn()
    {
        await using var host = await ReceiverHost.StartAsync("--Receiver:Limits:MaxControlConnections=20", "--Receiver:Limits:MaxControlConnectionsPerAddress=3", "--Receiver:Sessions:Max=2");
        var limiter = host.App.Services.GetRequiredService<ConnectionLimiter>();

        Assert.Equal((20, 3), (limiter.MaxTotal, limiter.MaxPerAddress));
        Assert.Equal(2, host.Sessions.MaxSessions);
    }

    [Theory]
    [InlineData("--Receiver:Sessions:Max=0", "Max")]
    [InlineData("--Receiver:Limits:MaxControlConnectionsPerAddress=0", "MaxControlConnectionsPerAddress")]
    [InlineData("--Receiver:Limits:MaxUnmatchedMirrorBytes=1000", "MaxUnmatchedMirrorBytes")]
    [InlineData("--Receiver:Limits:MaxMirrorConnectionsPerAddress=0", "MaxMirrorConnectionsPerAddress")]
    [InlineData("--Receiver:Limits:MaxSnapshotProcesses=0", "MaxSnapshotProcesses")]
    [InlineData("--Receiver:Viewer:MaxViewers=0", "MaxViewers")]
    public async Task Caps_OutOfRange_StopTheReceiverAtStartWithTheReason(string argument, string name)
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(async () => await (await ReceiverHost.StartAsync(argument)).DisposeAsync());
        Assert.Contains(name, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PerAddressCapAboveTheTotal_StopsTheReceiverAtStart()
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(async () =>
            await (await ReceiverHost.StartAsync("--Receiver:Limits:MaxControlConnections=4", "--Receiver:Limits:MaxControlConnectionsPerAddress=5")).DisposeAsync());
        Assert.Contains("must not exceed", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MirrorPerAddressCapAboveTheTotal_StopsTheReceiverAtStart()
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(async () =>
            await (await ReceiverHost.StartAsync("--Receiver:Limits:MaxMirrorConnections=4", "--Receiver:Limits:MaxMirrorConnectionsPerAddress=5")).DisposeAsync());
        Assert.Contains("MaxMirrorConnectionsPerAddress must not exceed", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MirrorDefaults_FitARealSession()
    {
        var limits = new ReceiverOptions().Limits;

        // Each session holds one data connection on the mirror port: every session the receiver takes fits.
        Assert.Equal((16, 4), (limits.MaxMirrorConnections, limits.MaxMirrorConnectionsPerAddress));
        Assert.True(limits.MaxMirrorConnections >= new ReceiverOptions().Sessions.Max * 2);
    }
}
