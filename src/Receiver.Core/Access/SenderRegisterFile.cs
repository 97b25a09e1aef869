using System.Text.Json;
using System.Text.Json.Serialization;

namespace Receiver.Core.Access;

/// <summary>The JSON file of the <see cref="SenderRegister"/>: <c>{ "version": 1, "senders": [ … ] }</c>.</summary>
internal sealed record SenderRegisterFile(int Version, IReadOnlyList<TrustedSender> Senders)
{
    public const int CurrentVersion = 1;
}

[JsonSourceGenerationOptions(
    JsonSerializerDefaults.Web,
    WriteIndented = true,
    UseStringEnumConverter = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(SenderRegisterFile))]
internal sealed partial class SenderRegisterJson : JsonSerializerContext;
