using Receiver.Web.Access;
using Receiver.Web.Hosting.Https;

namespace Receiver.Web.Api;

/// <summary>The receiver itself (<c>GET /api/receiver</c>).</summary>
/// <param name="Name">The name senders show.</param>
/// <param name="DeviceId">MAC-like device id advertised to senders.</param>
/// <param name="Model">Advertised model, e.g. <c>AppleTV3,2</c>.</param>
/// <param name="SourceVersion">Advertised AirPlay source version.</param>
/// <param name="Features">Advertised features bitmask as hex, e.g. <c>0x52785EC0</c>.</param>
/// <param name="ControlPort">Bound AirPlay control port.</param>
/// <param name="MirrorPort">Bound mirror data port.</param>
/// <param name="Version">The receiver's software version.</param>
/// <param name="Sessions">Live sessions.</param>
/// <param name="Access">Who may mirror: the access mode and whether senders are remembered.</param>
/// <param name="Https">The HTTPS listener and its certificate's fingerprint; null when HTTPS is off.</param>
public sealed record ReceiverInfo(
    string Name,
    string DeviceId,
    string Model,
    string SourceVersion,
    string Features,
    int ControlPort,
    int MirrorPort,
    string Version,
    int Sessions,
    AccessInfo Access,
    HttpsInfo? Https);
