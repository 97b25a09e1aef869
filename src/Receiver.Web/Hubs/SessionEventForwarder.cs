using System.Threading.Channels;
using Microsoft.AspNetCore.SignalR;
using Receiver.Core.Sessions;
using Receiver.Web.Api;
using Receiver.Web.Metrics;
using Receiver.Web.Recording;

namespace Receiver.Web.Hubs;

/// <summary>
/// Forwards <see cref="SessionEventHub"/> events to the clients of <see cref="SessionsHub"/> and, once a second,
/// each live session's <see cref="SessionStats"/> (and WebRTC's state when it changed). One loop sends everything, so each session's messages reach
/// clients in the order they happened, and no statistics follow a session's end.
/// </summary>
public sealed partial class SessionEventForwarder(
    SessionEventHub events,
    SessionRegistry registry,
    SessionStatsTracker tracker,
    RecordingService recordings,
    ReceiverMetrics metrics,
    WebRtc.JanusIngestService janus,
    IHubContext<SessionsHub, ISessionsClient> hub,
    TimeProvider time,
    ILogger<SessionEventForwarder> logger) : IHostedService, IDisposable
{
    /// <summary>How often statistics are sampled and sent.</summary>
    public static readonly TimeSpan StatsInterval = TimeSpan.FromSeconds(1);

    private readonly Channel<SessionEvent?> _work = Channel.CreateUnbounded<SessionEvent?>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _stopping = new();
    private SessionEventHub.Subscription? _subscription;
    private Task _running = Task.CompletedTask;
    private WebRtc.WebRtcStatus? _webRtc;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _subscription = events.Subscribe();
        foreach (var session in registry.Sessions)
        {
            tracker.Track(session);
        }

        var token = _stopping.Token;
        _running = Task.WhenAll(
            Task.Run(() => PumpEventsAsync(_subscription.Reader, token), CancellationToken.None),
            Task.Run(() => TickAsync(token), CancellationToken.None),
            Task.Run(() => SendAsync(token), CancellationToken.None));
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        _subscription?.Dispose();
        await _running.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    public void Dispose()
    {
        _subscription?.Dispose();
        _stopping.Dispose();
    }

    private async Task PumpEventsAsync(ChannelReader<SessionEvent> reader, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var sessionEvent in reader.ReadAllAsync(cancellationToken))
            {
                _work.Writer.TryWrite(sessionEvent);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task TickAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(StatsInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                _work.Writer.TryWrite(null);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task SendAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var item in _work.Reader.ReadAllAsync(cancellationToken))
            {
                try
                {
                    if (item is null)
                    {
                        await SendStatsAsync();
                    }
                    else
                    {
                        await ForwardAsync(item);
                        metrics.RecordEventDelay(time.GetUtcNow() - item.Timestamp);
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogSendFailed(logger, ex);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task SendStatsAsync()
    {
        foreach (var stats in tracker.Sample())
        {
            await hub.Clients.All.SessionStats(stats);
        }

        var webRtc = janus.Status();
        if (!webRtc.SameAs(_webRtc))
        {
            _webRtc = webRtc;
            await hub.Clients.All.WebRtcChanged(webRtc);
        }
    }

    private Task ForwardAsync(SessionEvent sessionEvent)
    {
        var clients = hub.Clients.All;
        switch (sessionEvent)
        {
            case SenderNoticeEvent notice:
                return clients.SenderNotice(SenderNoticeMessage.From(notice));
            case SessionStartedEvent started:
                if (!registry.TryGet(started.SessionId, out var session))
                {
                    return Task.CompletedTask;
                }

                tracker.Track(session);
                return clients.SessionStarted(SessionViews.Summary(session, tracker, recordings));
            case StreamStartedEvent stream:
                return clients.StreamStarted(new StreamStartedMessage(stream.SessionId, KindName(stream.Kind), stream.Codec, stream.Width, stream.Height, null));
            case FormatChangedEvent format:
                return clients.FormatChanged(new FormatChangedMessage(format.SessionId, format.Codec, format.Width, format.Height));
            case VolumeChangedEvent volume:
                return clients.VolumeChanged(new VolumeChangedMessage(volume.SessionId, volume.VolumeDb));
            case StreamEndedEvent stream:
                return clients.StreamEnded(new StreamEndedMessage(stream.SessionId, KindName(stream.Kind)));
            case RecordingChangedEvent recording:
                return clients.RecordingChanged(new RecordingChangedMessage(recording.SessionId, recording.Recording, recording.Files, recording.Reason, recording.Bytes));
            case CastStartedEvent cast:
                return clients.CastStarted(new CastMessage(cast.SessionId, cast.Host, cast.Title, cast.MediaKind, "loading", 0, 0, 0));
            case CastStateChangedEvent cast:
                return clients.CastStateChanged(new CastMessage(cast.SessionId, null, null, null, cast.State, cast.Position, cast.Rate, double.IsInfinity(cast.Duration) ? 0 : cast.Duration));
            case SessionEndedEvent ended:
                tracker.Forget(ended.SessionId);
                return clients.SessionEnded(ended.SessionId, ReasonName(ended.Reason));
            default:
                return Task.CompletedTask;
        }
    }

    private static string KindName(StreamKind kind) => kind == StreamKind.Video ? "video" : "audio";

    /// <summary>The reason as clients see it: teardown, disconnect, timeout, kicked, error or shutdown.</summary>
    public static string ReasonName(SessionEndReason reason) => reason switch
    {
        SessionEndReason.Teardown => "teardown",
        SessionEndReason.Disconnect => "disconnect",
        SessionEndReason.Timeout => "timeout",
        SessionEndReason.Kicked => "kicked",
        SessionEndReason.Error => "error",
        SessionEndReason.Shutdown => "shutdown",
        _ => "error",
    };

    [LoggerMessage(EventId = 50, Level = LogLevel.Warning, Message = "Could not send a session event to dashboard clients")]
    private static partial void LogSendFailed(ILogger logger, Exception exception);
}
