using Receiver.Web.Metrics;

namespace Receiver.Web.Api;

/// <summary>A live session as lists show it (REST <c>GET /api/sessions</c>, hub <c>Snapshot</c> and <c>SessionStarted</c>).</summary>
/// <param name="Id">Session id, also used in <c>/view/{id}</c>.</param>
/// <param name="SenderName">The sender's device name, e.g. "Anna's iPhone".</param>
/// <param name="SenderModel">The sender's model identifier, e.g. "iPhone14,2".</param>
/// <param name="Protocol"><c>airplay</c> or <c>legacy</c>.</param>
/// <param name="StartedAt">When the session started.</param>
/// <param name="Codec">RFC 6381 codec string of the video (e.g. <c>avc1.640028</c>); null before the first format.</param>
/// <param name="Width">Video width in pixels; null before the first format.</param>
/// <param name="Height">Video height in pixels; null before the first format.</param>
/// <param name="Viewers">Browser viewers watching now.</param>
/// <param name="Stats">The latest throughput sample.</param>
/// <param name="Recording">True while the session is being recorded.</param>
/// <param name="Kind"><c>mirror</c> for screen mirroring, <c>video</c> for a cast video.</param>
/// <param name="Cast">The cast video (host, title, state, position), for <c>video</c> sessions.</param>
public sealed record SessionSummary(
    string Id,
    string? SenderName,
    string? SenderModel,
    string Protocol,
    DateTimeOffset StartedAt,
    string? Codec,
    int? Width,
    int? Height,
    int Viewers,
    SessionStats Stats,
    bool Recording,
    string Kind = "mirror",
    CastInfo? Cast = null);
