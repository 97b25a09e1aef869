using Receiver.Web.Metrics;

namespace Receiver.Web.Api;

/// <summary>Everything known about one live session (<c>GET /api/sessions/{id}</c>).</summary>
public sealed record SessionDetail(
    string Id,
    SenderDetail Sender,
    string Protocol,
    DateTimeOffset StartedAt,
    StreamsDetail Streams,
    VideoDetail? Video,
    double VolumeDb,
    long FramesReceived,
    long BytesReceived,
    int Viewers,
    SessionStats Stats,
    Receiver.Web.Recording.RecordingInfo? Recording);
