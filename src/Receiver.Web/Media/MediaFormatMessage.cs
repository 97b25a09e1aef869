using System.Text.Json;
using System.Text.Json.Serialization;
using Receiver.Core.Media;

namespace Receiver.Web.Media;

/// <summary>
/// The text message that precedes a stream and every format change:
/// <c>{"type":"format","mode":"mse","codec":"h264","codecString":"avc1.64001f","width":1280,"height":720,
/// "lowDelay":true,"description":"AWQAH...","timescale":1000000,"headerLength":40}</c>.
/// <c>description</c> is the base64 decoder configuration record (avcC / hvcC) for WebCodecs' <c>VideoDecoder.configure</c>.
/// </summary>
public sealed record MediaFormatMessage(
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("mode")] string Mode,
    [property: JsonPropertyName("codec")] string Codec,
    [property: JsonPropertyName("codecString")] string CodecString,
    [property: JsonPropertyName("width")] int Width,
    [property: JsonPropertyName("height")] int Height,
    [property: JsonPropertyName("lowDelay")] bool LowDelay,
    [property: JsonPropertyName("description")] string Description,
    [property: JsonPropertyName("timescale")] int Timescale,
    [property: JsonPropertyName("headerLength")] int HeaderLength)
{
    private static readonly JsonSerializerOptions SerializerOptions = new(JsonSerializerDefaults.Web);

    public static MediaFormatMessage Create(VideoFormat format, MediaStreamMode mode, bool lowDelay)
    {
        ArgumentNullException.ThrowIfNull(format);
        return new MediaFormatMessage(
            "format",
            ModeName(mode),
            format.Codec == VideoCodec.H265 ? "h265" : "h264",
            format.CodecString,
            format.Width,
            format.Height,
            lowDelay,
            Convert.ToBase64String(format.DecoderConfiguration.Span),
            1_000_000,
            MediaFrameHeader.Length);
    }

    public static string ModeName(MediaStreamMode mode) => mode == MediaStreamMode.WebCodecs ? "webcodecs" : "mse";

    public byte[] ToUtf8Json() => JsonSerializer.SerializeToUtf8Bytes(this, SerializerOptions);

    public static MediaFormatMessage? Parse(string json) => JsonSerializer.Deserialize<MediaFormatMessage>(json, SerializerOptions);
}
