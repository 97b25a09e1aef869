using System.Net;
using Receiver.Core.Sessions;
using Receiver.Web.Tests.Infrastructure;

namespace Receiver.Web.Tests.Viewer;

/// <summary>A receiver host with one mirroring session fed by a <see cref="SyntheticSender"/>.</summary>
public sealed class LiveSession : IAsyncDisposable
{
    private LiveSession(ReceiverHost host, MirroringSession session)
    {
        Host = host;
        Session = session;
    }

    public ReceiverHost Host { get; }

    public MirroringSession Session { get; }

    public SyntheticSender? Sender { get; private set; }

    public string Id => Session.Id;

    public Uri ViewUrl(string? query = null) => new(Host.WebUrl, $"/view/{Id}{(query is null ? string.Empty : "?" + query)}");

    /// <summary>Starts a host and a session; <paramref name="clip"/> (if any) starts playing at once.</summary>
    public static async Task<LiveSession> StartAsync(H264Clip? clip, params string[] hostArgs)
    {
        var host = await ReceiverHost.StartAsync(hostArgs);
        var session = host.Sessions.Start(
            new SenderInfo("AA:BB:CC:DD:EE:FF", "Test iPhone", "iPhone15,2", "iPhone OS", "17.4", "620.1", "127.0.0.1"),
            "airplay",
            IPAddress.Loopback);
        var live = new LiveSession(host, session);
        if (clip is not null)
        {
            live.Play(clip);
        }

        return live;
    }

    public SyntheticSender Play(H264Clip clip)
    {
        Sender = SyntheticSender.Start(Session.Media, Session.Clock, clip);
        return Sender;
    }

    public Task<MediaSocketClient> ConnectAsync(string? query = null, int receiveBufferBytes = 0) =>
        MediaSocketClient.ConnectAsync(Host.WebUrl, Id, query, receiveBufferBytes);

    public void End(SessionEndReason reason = SessionEndReason.Teardown) => Host.Sessions.End(Session, reason);

    public async ValueTask DisposeAsync()
    {
        if (Sender is not null)
        {
            await Sender.DisposeAsync();
        }

        await Host.DisposeAsync();
    }
}
