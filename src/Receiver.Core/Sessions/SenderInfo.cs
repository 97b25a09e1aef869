using Receiver.Core.Access;

namespace Receiver.Core.Sessions;

/// <summary>
/// Who is mirroring, from the keys SETUP plist (or the legacy <c>POST /stream</c>). Every string the sender chose is
/// kept as <see cref="SenderText.Clean(string?)"/> returns it: capped and without control characters.
/// </summary>
public sealed record SenderInfo(
    string? DeviceId,
    string? Name,
    string? Model,
    string? OsName,
    string? OsVersion,
    string? SourceVersion,
    string RemoteAddress)
{
    public string? DeviceId { get; init; } = SenderText.Clean(DeviceId);

    public string? Name { get; init; } = SenderText.Clean(Name);

    public string? Model { get; init; } = SenderText.Clean(Model);

    public string? OsName { get; init; } = SenderText.Clean(OsName);

    public string? OsVersion { get; init; } = SenderText.Clean(OsVersion);

    public string? SourceVersion { get; init; } = SenderText.Clean(SourceVersion);
}
