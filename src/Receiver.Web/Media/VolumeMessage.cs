using System.Text.Json;
using System.Text.Json.Serialization;

namespace Receiver.Web.Media;

/// <summary>The sender's volume: <c>{"type":"volume","db":-12.5}</c> (−144 = mute, otherwise −30…0 dB).</summary>
public sealed record VolumeMessage(
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("db")] double Db)
{
    private static readonly JsonSerializerOptions SerializerOptions = new(JsonSerializerDefaults.Web);

    public static VolumeMessage Create(double decibels) => new("volume", decibels);

    public byte[] ToUtf8Json() => JsonSerializer.SerializeToUtf8Bytes(this, SerializerOptions);

    public static VolumeMessage? Parse(string json) => JsonSerializer.Deserialize<VolumeMessage>(json, SerializerOptions);
}
