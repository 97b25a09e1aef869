namespace Receiver.Core.Discovery;

/// <summary>Settings of the mDNS advertisement.</summary>
public sealed class DiscoveryOptions
{
    /// <summary>When false the advertiser neither opens a socket nor sends anything.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// Names of the network interfaces to advertise on (e.g. <c>eth0</c>, <c>lo</c>). Only these are used.
    /// Empty means every interface that is up, supports multicast and has an IPv4 address.
    /// </summary>
    public IList<string> Interfaces { get; set; } = new List<string>();

    /// <summary>
    /// Host name (first label, without <c>.local</c>) that the SRV records point to and that the A records
    /// are published for. Empty means <c>airplay-&lt;device id hex&gt;</c>, which stays clear of the name the
    /// operating system's own responder publishes.
    /// </summary>
    public string HostName { get; set; } = string.Empty;
}
