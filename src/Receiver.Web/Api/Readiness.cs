namespace Receiver.Web.Api;

/// <summary>The answer of <c>GET /readyz</c>.</summary>
/// <param name="Status"><c>ready</c> or <c>starting</c>.</param>
/// <param name="PortsBound">The control and mirror ports are listening.</param>
/// <param name="DiscoveryReady">mDNS announces the receiver, or discovery is off.</param>
/// <param name="Janus">
/// WebRTC viewing's Janus as last checked (every 10 s): <c>off</c> (not configured), <c>reachable</c> or
/// <c>unreachable</c> (viewers then play over the WebSocket). It does not change <paramref name="Status"/>.
/// </param>
public sealed record Readiness(string Status, bool PortsBound, bool DiscoveryReady, string Janus = "off");
