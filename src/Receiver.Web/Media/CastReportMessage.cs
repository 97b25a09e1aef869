using System.Text.Json.Serialization;

namespace Receiver.Web.Media;

/// <summary>What a viewer page of a cast measures and sends back (<c>{"type":"report",…}</c>), about four times a second.</summary>
public sealed record CastReportMessage(
    [property: JsonPropertyName("type")] string? Type,
    [property: JsonPropertyName("version")] long Version,
    [property: JsonPropertyName("position")] double Position,
    [property: JsonPropertyName("duration")] double Duration,
    [property: JsonPropertyName("ready")] bool Ready,
    [property: JsonPropertyName("playing")] bool Playing,
    [property: JsonPropertyName("ended")] bool Ended,
    [property: JsonPropertyName("error")] string? Error,
    [property: JsonPropertyName("buffered")] double[][]? Buffered,
    [property: JsonPropertyName("seekable")] double[][]? Seekable);
