using Microsoft.Extensions.Logging.Abstractions;
using Receiver.Core.Discovery;

namespace Receiver.Core.Tests.Discovery;

public sealed class AirPlayAdvertiserTests
{
    private static readonly AirPlayServiceInfo Info =
        new("Test", "02:00:00:00:00:01", AirPlayServiceInfo.DefaultFeatures, new byte[32], 7000);

    [Fact]
    public async Task StartAsync_Disabled_DoesNothing()
    {
        var options = new DiscoveryOptions { Enabled = false };
        await using var advertiser = new AirPlayAdvertiser(Info, options, NullLogger<AirPlayAdvertiser>.Instance);

        await advertiser.StartAsync(CancellationToken.None);

        Assert.False(advertiser.IsRunning);
        Assert.False(advertiser.IsWatchingNetwork);
        await advertiser.StopAsync(CancellationToken.None);
        Assert.False(advertiser.IsRunning);
    }

    [Fact]
    public async Task StartAsync_OnlyUnknownInterfaceConfigured_WaitsForItWithoutSending()
    {
        // A configured list restricts the responder: with no usable interface in it, nothing is opened or sent, but
        // the network is watched so that the advertisement starts when the interface appears.
        var options = new DiscoveryOptions { Interfaces = ["no-such-interface0"] };
        await using var advertiser = new AirPlayAdvertiser(Info, options, NullLogger<AirPlayAdvertiser>.Instance);

        await advertiser.StartAsync(CancellationToken.None);

        Assert.False(advertiser.IsRunning);
        Assert.True(advertiser.IsWatchingNetwork);
        await advertiser.StopAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.False(advertiser.IsWatchingNetwork);

        // Started again after a stop, it watches again.
        await advertiser.StartAsync(CancellationToken.None);
        Assert.True(advertiser.IsWatchingNetwork);
    }

    [Theory]
    [InlineData("02:00:00:00:00")]
    [InlineData("0200000000:01")]
    [InlineData("zz:00:00:00:00:01")]
    public void Constructor_MalformedDeviceId_Throws(string deviceId) =>
        Assert.Throws<ArgumentException>(() => new AirPlayAdvertiser(Info with { DeviceId = deviceId }, new DiscoveryOptions(), NullLogger<AirPlayAdvertiser>.Instance));

    [Fact]
    public async Task Zone_DefaultHostName_DerivedFromDeviceId()
    {
        await using var advertiser = new AirPlayAdvertiser(Info, new DiscoveryOptions { Enabled = false }, NullLogger<AirPlayAdvertiser>.Instance);

        Assert.Equal(DnsName.Parse("airplay-020000000001.local"), advertiser.Zone.HostName);
    }

    [Fact]
    public void Select_NamedInterfaces_OnlyThoseReturned()
    {
        var selected = MdnsInterfaceSelector.Select(["lo", "no-such-interface0"], out var rejected);

        Assert.All(selected, i => Assert.Equal("lo", i.Name));
        Assert.Contains(rejected, r => r.StartsWith("no-such-interface0:", StringComparison.Ordinal));
    }
}
