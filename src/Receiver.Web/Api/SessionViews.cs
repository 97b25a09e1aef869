using Receiver.Core.Sessions;
using Receiver.Web.Metrics;
using Receiver.Web.Recording;

namespace Receiver.Web.Api;

/// <summary>Builds the API's views of a <see cref="MirroringSession"/>.</summary>
public static class SessionViews
{
    public static SessionSummary Summary(MirroringSession session, SessionStatsTracker tracker, RecordingService recordings)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(tracker);
        ArgumentNullException.ThrowIfNull(recordings);
        var format = session.CurrentFormat ?? session.Media.CurrentFormat?.Format;
        return new SessionSummary(
            session.Id,
            session.Sender.Name,
            session.Sender.Model,
            session.Protocol,
            session.StartedAt,
            format?.CodecString,
            format?.Width,
            format?.Height,
            session.Media.ViewerCount,
            tracker.StatsOf(session),
            recordings.Get(session.Id)?.Active == true,
            session.Kind,
            CastInfo.Of(session));
    }

    public static SessionDetail Detail(MirroringSession session, SessionStatsTracker tracker, RecordingService recordings)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(tracker);
        ArgumentNullException.ThrowIfNull(recordings);
        var format = session.CurrentFormat ?? session.Media.CurrentFormat?.Format;
        var sender = session.Sender;
        return new SessionDetail(
            session.Id,
            new SenderDetail(sender.DeviceId, sender.Name, sender.Model, sender.OsName, sender.OsVersion, sender.SourceVersion, session.RemoteAddress.ToString()),
            session.Protocol,
            session.StartedAt,
            new StreamsDetail(session.VideoActive || format is not null, session.AudioActive),
            format is null ? null : new VideoDetail(format.CodecString, format.Codec.ToString(), format.Width, format.Height),
            session.VolumeDb,
            session.FramesReceived,
            session.BytesReceived,
            session.Media.ViewerCount,
            tracker.StatsOf(session),
            recordings.Get(session.Id),
            new SenderClockDetail(session.Clock.Source.ToString().ToLowerInvariant(), session.Clock.TimingReplies, session.Clock.MirrorToNtpSeconds));
    }
}
