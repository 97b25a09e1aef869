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
    Receiver.Web.Recording.RecordingInfo? Recording,
    SenderClockDetail Clock);

/// <summary>How the session reads its sender's clock (docs/CLOCKS.md).</summary>
/// <param name="Source">What sender times are mapped to the receiver's clock with: <c>ntp</c>, <c>arrival</c> (the sender does not answer timing requests) or <c>none</c> yet.</param>
/// <param name="TimingReplies">Timing replies received from the sender.</param>
/// <param name="MirrorToNtpSeconds">Seconds between the sender's mirror-header and NTP encodings of its clock, once measured (2208988800 for iPhones).</param>
public sealed record SenderClockDetail(string Source, long TimingReplies, long? MirrorToNtpSeconds);
