namespace Receiver.Core.Tests.Discovery;

/// <summary>One service as <c>avahi-browse -rp</c> resolved it; <see cref="Protocol"/> is <c>IPv4</c> or <c>IPv6</c>.</summary>
internal sealed record ResolvedService(string Protocol, string Name, string Type, string Host, string Address, string Port, Dictionary<string, string> Txt);
