using System.Buffers;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using Receiver.Core.Sessions;
using Receiver.Web.Media;
using Receiver.Web.Security;

namespace Receiver.Web.WebRtc;

/// <summary>
/// The viewer page's WebRTC signalling, relayed to Janus so the viewer rules apply: <c>GET /ws/sessions/{id}/webrtc</c>
/// (policy <see cref="ReceiverPolicies.Viewer"/>, same-site <c>Origin</c>, like the media WebSocket). The receiver
/// asks Janus to <c>watch</c> the session's mountpoint, sends the page Janus's SDP offer
/// (<c>{"type":"offer","sdp":…}</c>), takes the page's answer (<c>{"type":"answer","sdp":…}</c>, with all its ICE
/// candidates) to Janus with <c>start</c>, and tells the page <c>{"type":"started"}</c> when Janus reports the
/// PeerConnection up. Close codes: 4000 the session ended; <see cref="Unavailable"/> no WebRTC for this session
/// (Janus off, unreachable or gone, or not H.264): the page plays it with the WebSocket players instead.
/// </summary>
public static partial class WebRtcEndpoints
{
    public const string Route = "/ws/sessions/{id}/webrtc";

    /// <summary>Close code: WebRTC is not available for this session now; the reason says why.</summary>
    public const WebSocketCloseStatus Unavailable = (WebSocketCloseStatus)4010;

    /// <summary>
    /// The close reason when Janus is down (the page plays over the WebSocket and comes back when <c>/readyz</c> says
    /// Janus is reachable again); other 4010 reasons are final for the page.
    /// </summary>
    public const string JanusUnavailableReason = "webrtc: Janus unavailable";

    /// <summary>How long a viewer waits for the session's mountpoint (made when the first picture arrives).</summary>
    public static readonly TimeSpan MountpointWait = TimeSpan.FromSeconds(5);

    public static WebApplication MapWebRtcEndpoints(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGet(Route, (HttpContext context, string id) => RelayAsync(context, id))
            .RequireAuthorization(ReceiverPolicies.Viewer).RequireSameOrigin();
        return app;
    }

    private static async Task RelayAsync(HttpContext context, string id)
    {
        var registry = context.RequestServices.GetRequiredService<SessionRegistry>();
        var session = id == MediaEndpoints.CurrentSession ? registry.Sessions.LastOrDefault(s => !s.HasEnded) : registry.TryGet(id, out var named) ? named : null;
        if (session is null || session.HasEnded)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status426UpgradeRequired;
            context.Response.Headers.Upgrade = "websocket";
            return;
        }

        var service = context.RequestServices.GetRequiredService<JanusIngestService>();
        var time = context.RequestServices.GetRequiredService<TimeProvider>();
        var logger = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("Receiver.Web.WebRtc");
        var stopping = context.RequestServices.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping);
        if (service.Janus is not { } janus)
        {
            await CloseAsync(socket, Unavailable, "webrtc: not configured", cancel.Token);
            return;
        }

        if (!service.TryTakeViewer(session.Id))
        {
            await CloseAsync(socket, MediaCloseStatus.Full, $"full: the receiver relays {service.Viewers} WebRTC viewers, the most it takes", cancel.Token);
            return;
        }

        try
        {
            await RelayAsync(socket, session, service, janus, time, logger, cancel);
        }
        finally
        {
            service.ReleaseViewer(session.Id);
        }
    }

    private static async Task RelayAsync(WebSocket socket, MirroringSession session, JanusIngestService service, JanusStreamingClient janus, TimeProvider time, ILogger logger, CancellationTokenSource cancel)
    {
        var logId = SessionLogId.Of(session.Id);
        var mountpoint = service.MountpointOf(session.Id);
        var deadline = time.GetUtcNow() + MountpointWait;
        while (mountpoint is null && service.IsIngesting(session.Id) && !session.HasEnded && time.GetUtcNow() < deadline)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(100), time, cancel.Token);
            mountpoint = service.MountpointOf(session.Id);
        }

        if (mountpoint is null)
        {
            await CloseAsync(socket, Unavailable, service.State == JanusIngestService.Reachable ? "webrtc: not for this session" : JanusUnavailableReason, cancel.Token);
            return;
        }

        JanusHandle? handle = null;
        try
        {
            handle = await janus.AttachAsync(cancel.Token);
            await janus.SendAsync(handle, new JsonObject { ["request"] = "watch", ["id"] = mountpoint.Id }, null, cancel.Token);
            var offer = await WaitForOfferAsync(janus, handle, cancel.Token);
            if (offer is null)
            {
                // Janus restarted and lost the mountpoint: the session gets a new one; the page tries again.
                await service.ReplaceMountpointAsync(session, mountpoint.Id);
                await CloseAsync(socket, Unavailable, JanusUnavailableReason, cancel.Token);
                return;
            }

            await SendAsync(socket, new JsonObject { ["type"] = "offer", ["sdp"] = offer }, cancel.Token);
            var answer = await ReceiveAnswerAsync(socket, cancel.Token);
            if (answer is null)
            {
                return;
            }

            await janus.SendAsync(handle, new JsonObject { ["request"] = "start" }, new JsonObject { ["type"] = "answer", ["sdp"] = answer.Sdp }, cancel.Token);
            await janus.EndOfCandidatesAsync(handle, cancel.Token);
            LogViewerStarted(logger, logId, mountpoint.Id);
            var reading = DrainAsync(socket, cancel);
            while (!cancel.IsCancellationRequested && !session.HasEnded)
            {
                var events = await janus.PollAsync(handle, cancel.Token);
                foreach (var e in events)
                {
                    if (e.Kind == "webrtcup")
                    {
                        await SendAsync(socket, new JsonObject { ["type"] = "started" }, cancel.Token);
                    }
                    else if (e.Kind == "hangup" || e.PluginData?["result"]?["status"]?.GetValue<string>() == "stopped")
                    {
                        await CloseAsync(socket, session.HasEnded ? MediaCloseStatus.Ended : Unavailable, session.HasEnded ? "ended" : JanusUnavailableReason, cancel.Token);
                        return;
                    }
                }
            }

            await CloseAsync(socket, MediaCloseStatus.Ended, "ended", cancel.Token);
            await reading;
        }
        catch (JanusException ex)
        {
            LogJanusFailed(logger, logId, ex.Message);
            service.ReportUnreachable();
            await CloseAsync(socket, Unavailable, JanusUnavailableReason, CancellationToken.None);
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
        }
        catch (WebSocketException)
        {
        }
        finally
        {
            if (handle is not null)
            {
                using var cleanup = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await janus.DestroyAsync(handle, cleanup.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    // Janus's SDP offer; null when Janus does not know the mountpoint (error 455).
    private static async Task<string?> WaitForOfferAsync(JanusStreamingClient janus, JanusHandle handle, CancellationToken cancellationToken)
    {
        const int NoSuchMountpoint = 455;
        for (var polls = 0; polls < 4; polls++)
        {
            foreach (var e in await janus.PollAsync(handle, cancellationToken))
            {
                if (e.PluginData?["error"] is { } error)
                {
                    if (e.PluginData["error_code"]?.GetValue<int>() == NoSuchMountpoint)
                    {
                        return null;
                    }

                    throw new JanusException($"watch refused: {error}");
                }

                if (e.Jsep?["type"]?.GetValue<string>() == "offer" && e.Jsep["sdp"]?.GetValue<string>() is { } sdp)
                {
                    return sdp;
                }
            }
        }

        throw new JanusException("Janus sent no offer.");
    }

    // The page's answer; null when the page closed or sent something else (then the socket is closed with 1008).
    private static async Task<WebRtcSignal?> ReceiveAnswerAsync(WebSocket socket, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(WebRtcSignal.MaxBytes + 1);
        try
        {
            var length = 0;
            while (true)
            {
                var result = await socket.ReceiveAsync(buffer.AsMemory(length, WebRtcSignal.MaxBytes + 1 - length), cancellationToken);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return null;
                }

                length += result.Count;
                if (result.EndOfMessage || length > WebRtcSignal.MaxBytes)
                {
                    break;
                }
            }

            if (!WebRtcSignal.TryParse(buffer.AsSpan(0, length), out var signal, out var error))
            {
                await CloseAsync(socket, WebSocketCloseStatus.PolicyViolation, error!, cancellationToken);
                return null;
            }

            return signal;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    // After the answer the page sends nothing; its close ends the relay.
    private static async Task DrainAsync(WebSocket socket, CancellationTokenSource cancel)
    {
        var buffer = new byte[1024];
        try
        {
            while (socket.State == WebSocketState.Open)
            {
                var result = await socket.ReceiveAsync(buffer, cancel.Token);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException)
        {
        }

        await cancel.CancelAsync();
    }

    private static Task SendAsync(WebSocket socket, JsonObject message, CancellationToken cancellationToken) =>
        socket.SendAsync(Encoding.UTF8.GetBytes(message.ToJsonString()), WebSocketMessageType.Text, true, cancellationToken);

    private static async Task CloseAsync(WebSocket socket, WebSocketCloseStatus status, string reason, CancellationToken cancellationToken)
    {
        if (socket.State is not (WebSocketState.Open or WebSocketState.CloseReceived))
        {
            return;
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(5));
        try
        {
            // The close is sent without waiting for the page's: the relay ends now, whatever the page does.
            await socket.CloseOutputAsync(status, reason, timeout.Token);
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException)
        {
        }
    }

    [LoggerMessage(EventId = 5220, Level = LogLevel.Information, Message = "Session {SessionId}: a WebRTC viewer started on mountpoint {MountpointId}")]
    private static partial void LogViewerStarted(ILogger logger, string sessionId, long mountpointId);

    [LoggerMessage(EventId = 5221, Level = LogLevel.Warning, Message = "Session {SessionId}: WebRTC viewer moved to the WebSocket players: {Reason}")]
    private static partial void LogJanusFailed(ILogger logger, string sessionId, string reason);
}
