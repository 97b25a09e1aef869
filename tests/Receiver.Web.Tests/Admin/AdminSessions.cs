using System.Net;
using Receiver.Core.Media;
using Receiver.Core.Sessions;
using Receiver.Web.Tests.Infrastructure;

namespace Receiver.Web.Tests.Admin;

/// <summary>Starts sessions on a test host and feeds them an <see cref="H264Clip"/>, as a mirror stream would.</summary>
internal static class AdminSessions
{
    /// <summary>Starts a session on <paramref name="host"/> as a sender named <paramref name="name"/> would.</summary>
    public static MirroringSession Start(ReceiverHost host, string name, string model = "iPhone14,2") =>
        host.Sessions.Start(new SenderInfo("aa:bb:cc:dd:ee:ff", name, model, "iPhone OS", "17.5", "770.8.1", "127.0.0.1"), "airplay", IPAddress.Loopback);

    /// <summary>Publishes the format and announces the video stream, as the mirror stream does on its first codec data.</summary>
    public static void BeginVideo(this H264Clip clip, ReceiverHost host, MirroringSession session)
    {
        session.Media.Publish(clip.Format);
        host.Sessions.Publish(new StreamStartedEvent(session.Id, DateTimeOffset.UtcNow, StreamKind.Video, clip.Format.CodecString, clip.Format.Width, clip.Format.Height));
    }

    /// <summary>Publishes frames <paramref name="from"/>..<paramref name="from"/>+<paramref name="count"/> (wrapping around).</summary>
    public static void Publish(this H264Clip clip, MirroringSession session, int from, int count)
    {
        for (var i = from; i < from + count; i++)
        {
            var (avcc, keyframe) = clip.Frames[i % clip.Frames.Count];
            var pts = (long)i * 3000;
            session.Media.Publish(new VideoAccessUnit(avcc, keyframe, pts, pts * 11111));
        }
    }
}
