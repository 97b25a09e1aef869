namespace Receiver.Core.Discovery;

/// <summary>The names under which the receiver is now announced.</summary>
/// <param name="Name">The <c>_airplay._tcp</c> instance name, e.g. <c>Living Room (2)</c>.</param>
/// <param name="RaopName">The <c>_raop._tcp</c> instance name, e.g. <c>021122334455@Living Room (2)</c>.</param>
/// <param name="HostName">The host name the SRV records point to, e.g. <c>airplay-021122334455.local</c>.</param>
public sealed class AdvertisedNameChangedEventArgs(string name, string raopName, string hostName) : EventArgs
{
    public string Name { get; } = name;

    public string RaopName { get; } = raopName;

    public string HostName { get; } = hostName;
}
