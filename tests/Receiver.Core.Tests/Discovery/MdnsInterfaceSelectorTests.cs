using System.Net;
using Receiver.Core.Discovery;

namespace Receiver.Core.Tests.Discovery;

public sealed class MdnsInterfaceSelectorTests
{
    [Fact]
    public void PublishableAddresses_Ipv4FirstThenLinkLocalAndGlobalIpv6()
    {
        IPAddress[] unicast =
        [
            IPAddress.Parse("fe80::1%2"),
            IPAddress.Parse("192.0.2.10"),
            IPAddress.Parse("2001:db8::10"),
            IPAddress.Parse("192.0.2.11"),
        ];

        var published = MdnsInterfaceSelector.PublishableAddresses(unicast);

        Assert.Equal(
            [IPAddress.Parse("192.0.2.10"), IPAddress.Parse("192.0.2.11"), IPAddress.Parse("fe80::1%2"), IPAddress.Parse("2001:db8::10")],
            published);
    }

    [Fact]
    public void PublishableAddresses_LeavesOutUnspecifiedMulticastMappedAndRepeats()
    {
        IPAddress[] unicast =
        [
            IPAddress.Any,
            IPAddress.IPv6Any,
            IPAddress.Parse("ff02::fb"),
            IPAddress.Parse("::ffff:192.0.2.1"),
            IPAddress.IPv6Loopback,
            IPAddress.IPv6Loopback,
        ];

        Assert.Equal([IPAddress.IPv6Loopback], MdnsInterfaceSelector.PublishableAddresses(unicast));
    }

    [Fact]
    public void Interface_SplitsAddressesByFamily()
    {
        var nic = new MdnsInterface("eth0", 2, [IPAddress.Parse("192.0.2.10"), IPAddress.Parse("fe80::1%2")]);

        Assert.Equal([IPAddress.Parse("192.0.2.10")], nic.Ipv4Addresses);
        Assert.Equal([IPAddress.Parse("fe80::1%2")], nic.Ipv6Addresses);
    }
}
