using Receiver.Core.Sessions;

namespace Receiver.Web.Api;

/// <summary>A cast video as the API shows it.</summary>
/// <param name="Host">The host the video comes from (the whole URL is not shown: it may carry the sender's tokens).</param>
/// <param name="Title">The video's title when the sender gave one.</param>
/// <param name="Media"><c>file</c> (played as it is) or <c>hls</c> (a playlist).</param>
/// <param name="State"><c>loading</c>, <c>playing</c>, <c>paused</c>, <c>ended</c> or <c>failed: reason</c>.</param>
/// <param name="Position">Position on the receiver's timeline, in seconds.</param>
/// <param name="Rate">1 while playing, 0 otherwise.</param>
/// <param name="Duration">Length in seconds as a page measured it; 0 while unknown.</param>
/// <param name="ProxiedSegments">HLS: segment requests the receiver's proxy served (segments of direct origins are fetched by the pages themselves).</param>
public sealed record CastInfo(string Host, string? Title, string Media, string State, double Position, double Rate, double Duration, long ProxiedSegments)
{
    public static CastInfo? Of(MirroringSession session)
    {
        ArgumentNullException.ThrowIfNull(session);
        if (session.Cast is not { } cast)
        {
            return null;
        }

        var snapshot = cast.Snapshot();
        return new CastInfo(
            cast.Url.Host,
            cast.Title,
            cast.Kind == Receiver.Core.Casting.CastMediaKind.Hls ? "hls" : "file",
            snapshot.StateText,
            Math.Round(snapshot.Position, 3),
            snapshot.Rate,
            double.IsInfinity(snapshot.Duration) ? 0 : Math.Round(snapshot.Duration, 3),
            cast.Hls?.ProxiedSegments ?? 0);
    }
}
