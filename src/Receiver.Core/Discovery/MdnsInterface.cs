using System.Net;

namespace Receiver.Core.Discovery;

/// <summary>A network interface the responder runs on.</summary>
/// <param name="Name">Interface name, e.g. <c>eth0</c>.</param>
/// <param name="Index">Kernel interface index (matches the arrival interface of received packets).</param>
/// <param name="Addresses">IPv4 addresses published as A records on this interface; the first one selects the outgoing interface.</param>
public sealed record MdnsInterface(string Name, int Index, IReadOnlyList<IPAddress> Addresses);
