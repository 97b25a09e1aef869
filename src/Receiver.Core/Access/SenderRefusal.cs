using System.Net;

namespace Receiver.Core.Access;

/// <summary>A sender was refused (<see cref="SenderAccessPolicy.SenderRefused"/>).</summary>
/// <param name="DeviceId">Its device id, when it gave one.</param>
/// <param name="Name">Its name, when known.</param>
/// <param name="Reason">Why.</param>
/// <param name="Remote">Its address.</param>
/// <param name="At">When.</param>
public sealed record SenderRefusal(string? DeviceId, string? Name, RefusalReason Reason, IPAddress Remote, DateTimeOffset At);
