using System.Text.Json;
using System.Text.Json.Serialization;
using Receiver.Core.Media;

namespace Receiver.Web.Media;

/// <summary>
/// The text message that announces the session's audio track:
/// <c>{"type":"audioFormat","mode":"mse","codec":"aac","codecString":"mp4a.40.2","sampleRate":44100,"channels":2,
/// "description":"EhA=","timescale":1000000,"headerLength":40}</c>. <c>description</c> is the base64
/// AudioSpecificConfig for WebCodecs' <c>AudioDecoder.configure</c>. In MSE mode an audio init segment (kind 3)
/// follows; audio frames are kind 4. A WebCodecs viewer receives PCM instead when the session has it:
/// <c>"codec":"pcm","codecString":"pcm-s16"</c>, an empty description, and kind 4 frames of interleaved signed
/// 16-bit little-endian samples (the sender's frame size) to wrap in <c>AudioData</c> as they are.
/// </summary>
public sealed record AudioFormatMessage(
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("mode")] string Mode,
    [property: JsonPropertyName("codec")] string Codec,
    [property: JsonPropertyName("codecString")] string CodecString,
    [property: JsonPropertyName("sampleRate")] int SampleRate,
    [property: JsonPropertyName("channels")] int Channels,
    [property: JsonPropertyName("description")] string Description,
    [property: JsonPropertyName("timescale")] int Timescale,
    [property: JsonPropertyName("headerLength")] int HeaderLength)
{
    private static readonly JsonSerializerOptions SerializerOptions = new(JsonSerializerDefaults.Web);

    public static AudioFormatMessage Create(AudioFormat format, MediaStreamMode mode)
    {
        ArgumentNullException.ThrowIfNull(format);
        return new AudioFormatMessage(
            "audioFormat",
            MediaFormatMessage.ModeName(mode),
            format.IsPcm ? "pcm" : "aac",
            format.CodecString,
            format.SampleRate,
            format.Channels,
            Convert.ToBase64String(format.AudioSpecificConfig.Span),
            1_000_000,
            MediaFrameHeader.Length);
    }

    public byte[] ToUtf8Json() => JsonSerializer.SerializeToUtf8Bytes(this, SerializerOptions);

    public static AudioFormatMessage? Parse(string json) => JsonSerializer.Deserialize<AudioFormatMessage>(json, SerializerOptions);
}
