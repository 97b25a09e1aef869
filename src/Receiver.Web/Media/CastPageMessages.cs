using System.Text.Json.Serialization;

namespace Receiver.Web.Media;

/// <summary>
/// What the receiver sends a viewer page of a cast (<c>{"type":"cast",…}</c>): the video to play and the timeline to
/// follow. <see cref="Position"/> is the timeline's position when the message was sent; while <see cref="State"/> is
/// <c>playing</c> the page adds the time since at <see cref="Rate"/>; while it is <c>loading</c>, a rate of 1 asks
/// the page to start the video and 0 to hold it.
/// </summary>
public sealed record CastTimelineMessage(
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("url")] string Url,
    [property: JsonPropertyName("media")] string Media,
    [property: JsonPropertyName("title")] string? Title,
    [property: JsonPropertyName("state")] string State,
    [property: JsonPropertyName("position")] double Position,
    [property: JsonPropertyName("rate")] double Rate,
    [property: JsonPropertyName("duration")] double Duration,
    [property: JsonPropertyName("version")] long Version);

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
