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
