namespace Receiver.Web.Access;

/// <summary>A sender waiting for approval (<c>GET /api/senders/pending</c>).</summary>
/// <param name="RequestId">Allow or deny it with <c>POST /api/senders/pending/{requestId}/allow</c> or <c>/deny</c>.</param>
/// <param name="DeviceId">Its device id.</param>
/// <param name="Name">The name it gave.</param>
/// <param name="Model">Its model.</param>
/// <param name="Address">Its IP address.</param>
/// <param name="RequestedAt">When it asked.</param>
public sealed record PendingSenderInfo(string RequestId, string DeviceId, string? Name, string? Model, string Address, DateTimeOffset RequestedAt);
