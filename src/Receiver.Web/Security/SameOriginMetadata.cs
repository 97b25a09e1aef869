namespace Receiver.Web.Security;

/// <summary>Marks an endpoint (the media WebSocket, the hub) that <see cref="OriginCheckMiddleware"/> guards against cross-site use.</summary>
public sealed class SameOriginMetadata
{
    public static SameOriginMetadata Instance { get; } = new();
}
