using System.Net;

namespace Receiver.Core.Access;

/// <summary>An unknown sender waiting for the operator to allow or deny it (<see cref="AccessMode.Approve"/>).</summary>
/// <param name="RequestId">Identifies the request in the API and the hub.</param>
/// <param name="DeviceId">The sender's device id.</param>
/// <param name="Name">The name it gave.</param>
/// <param name="Model">Its model.</param>
/// <param name="Remote">Its control connection's address and port.</param>
/// <param name="RequestedAt">When it asked.</param>
public sealed record ApprovalRequest(string RequestId, string DeviceId, string? Name, string? Model, IPEndPoint Remote, DateTimeOffset RequestedAt);
