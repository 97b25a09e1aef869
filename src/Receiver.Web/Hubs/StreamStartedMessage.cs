namespace Receiver.Web.Hubs;

/// <summary>A stream of a session started.</summary>
/// <param name="SessionId">The session.</param>
/// <param name="Kind"><c>video</c> or <c>audio</c>.</param>
/// <param name="Codec">RFC 6381 codec string for video (e.g. <c>avc1.640028</c>), the codec name for audio; null while unknown.</param>
/// <param name="Width">Video width in pixels; 0 while unknown or for audio.</param>
/// <param name="Height">Video height in pixels; 0 while unknown or for audio.</param>
/// <param name="Fps">Frame rate when known; null otherwise (the rate follows in <c>SessionStats</c>).</param>
public sealed record StreamStartedMessage(string SessionId, string Kind, string? Codec, int Width, int Height, double? Fps);
