namespace Receiver.Core.Sessions;

/// <summary>Who is mirroring, from the keys SETUP plist (or the legacy <c>POST /stream</c>).</summary>
public sealed record SenderInfo(
    string? DeviceId,
    string? Name,
    string? Model,
    string? OsName,
    string? OsVersion,
    string? SourceVersion,
    string RemoteAddress);
