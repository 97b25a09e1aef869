namespace Receiver.Web.Api;

/// <summary>The sending device.</summary>
public sealed record SenderDetail(
    string? DeviceId,
    string? Name,
    string? Model,
    string? OsName,
    string? OsVersion,
    string? SourceVersion,
    string RemoteAddress);
