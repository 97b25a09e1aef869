namespace Receiver.Core.Tests.Discovery;

/// <summary>One service as <c>avahi-browse -rp</c> resolved it.</summary>
internal sealed record ResolvedService(string Name, string Type, string Host, string Address, string Port, Dictionary<string, string> Txt);
