using System.Text.Json;
using Receiver.Core.Access;

namespace Receiver.Web.Access;

/// <summary>How the API and the hub write the access types: enum values in camelCase, keys in hex.</summary>
public static class AccessViews
{
    public static string Name<T>(T value) where T : struct, Enum => JsonNamingPolicy.CamelCase.ConvertName(value.ToString());

    public static TrustedSenderInfo Sender(TrustedSender sender)
    {
        ArgumentNullException.ThrowIfNull(sender);
        return new(sender.DeviceId, sender.Name, sender.Model, sender.PublicKey is { } key ? Convert.ToHexStringLower(key) : null,
            Name(sender.Method), sender.AddedAt, sender.LastSeenAt);
    }

    public static PendingSenderInfo Pending(ApprovalRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return new(request.RequestId, request.DeviceId, request.Name, request.Model, request.Remote.Address.ToString(), request.RequestedAt);
    }
}
