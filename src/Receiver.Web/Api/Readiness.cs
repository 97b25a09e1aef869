namespace Receiver.Web.Api;

/// <summary>The answer of <c>GET /readyz</c>.</summary>
/// <param name="Status"><c>ready</c> or <c>starting</c>.</param>
/// <param name="PortsBound">The control and mirror ports are listening.</param>
/// <param name="DiscoveryReady">mDNS announces the receiver, or discovery is off.</param>
public sealed record Readiness(string Status, bool PortsBound, bool DiscoveryReady);
