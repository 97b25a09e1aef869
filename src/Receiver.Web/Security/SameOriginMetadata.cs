namespace Receiver.Web.Security;

/// <summary>
/// Marks an endpoint that <see cref="OriginCheckMiddleware"/> guards against cross-site use: the media WebSocket and
/// the hub (cross-site WebSocket hijacking), <c>/api</c> and <c>/auth</c> (cross-site request forgery; SameSite does
/// not tell ports apart, so another web app on the receiver's host would otherwise be "same site").
/// </summary>
public sealed class SameOriginMetadata
{
    public static SameOriginMetadata Instance { get; } = new();
}
