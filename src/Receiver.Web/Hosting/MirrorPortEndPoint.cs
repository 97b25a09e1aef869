using System.Net;

namespace Receiver.Web.Hosting;

/// <summary>
/// The address of the mirror port's listener. Kestrel asks each transport whether it binds an endpoint; this type is
/// how <see cref="MirrorPortTransportFactory"/> recognises the mirror port (its port may be 0 in tests, like others).
/// <see cref="IPAddress.IPv6Any"/> binds both families, as Kestrel's <c>ListenAnyIP</c> does.
/// </summary>
public sealed class MirrorPortEndPoint(IPAddress address, int port) : IPEndPoint(address, port);
