using System.ComponentModel.DataAnnotations;
using System.Net.WebSockets;
using Microsoft.Extensions.Options;
using Receiver.Core.Media;
using Receiver.Core.Sessions;
using Receiver.Web.Security;

namespace Receiver.Web.Media;

/// <summary>
/// The browser viewer's endpoints: the media WebSocket <c>GET /ws/sessions/{id}/media[?mode=mse|webcodecs][&amp;audio=aac|pcm]</c>
/// and the viewer page <c>/view/{id}</c> (<c>/view/</c> for a room display: the newest session, <see cref="CurrentSession"/>).
/// The WebSocket needs the <see cref="ReceiverPolicies.Viewer"/> policy (authorization answers 401/403 before the
/// upgrade and before the session is looked up, so an unknown and a live session look alike) and a same-site
/// <c>Origin</c>; the pages are anonymous (they hold no data).
/// </summary>
public static partial class MediaEndpoints
{
    public const string MediaRoute = "/ws/sessions/{id}/media";

    /// <summary>The id that stands for the newest live session (what a room display shows).</summary>
    public const string CurrentSession = "current";

    /// <summary>Adds the WebSocket middleware, the media WebSocket and the viewer page route.</summary>
    public static WebApplication MapMediaEndpoints(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var options = app.Services.GetRequiredService<MediaWebSocketOptions>();
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(options.KeepAliveSeconds) });
        app.MapGet(MediaRoute, (HttpContext context, string id) => StreamAsync(context, id, options))
            .RequireAuthorization(ReceiverPolicies.Viewer).RequireSameOrigin();
        ViewerPage.Map(app);
        return app;
    }

    /// <summary>
    /// Chooses the sound a viewer receives from its mode and the <c>audio</c> query value: absent → PCM for WebCodecs
    /// (played without a decoder, no encoder delay) and AAC-LC for MSE (which cannot play PCM); <c>aac</c> → AAC-LC;
    /// <c>pcm</c> → PCM, for WebCodecs only.
    /// </summary>
    public static bool TryChooseAudio(MediaStreamMode mode, string? value, out AudioDelivery audio)
    {
        audio = mode == MediaStreamMode.WebCodecs ? AudioDelivery.Pcm : AudioDelivery.Aac;
        if (string.IsNullOrEmpty(value))
        {
            return true;
        }

        if (value.Equals("aac", StringComparison.OrdinalIgnoreCase))
        {
            audio = AudioDelivery.Aac;
            return true;
        }

        return value.Equals("pcm", StringComparison.OrdinalIgnoreCase) && mode == MediaStreamMode.WebCodecs;
    }

    /// <summary>Parses the <c>mode</c> query value: absent or <c>mse</c> → MSE, <c>webcodecs</c> → WebCodecs.</summary>
    public static bool TryParseMode(string? value, out MediaStreamMode mode)
    {
        mode = MediaStreamMode.Mse;
        if (string.IsNullOrEmpty(value) || value.Equals("mse", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        if (value.Equals("webcodecs", StringComparison.OrdinalIgnoreCase))
        {
            mode = MediaStreamMode.WebCodecs;
            return true;
        }

        return false;
    }

    private static async Task StreamAsync(HttpContext context, string id, MediaWebSocketOptions options)
    {
        var registry = context.RequestServices.GetRequiredService<SessionRegistry>();
        if (id == CurrentSession)
        {
            context.RequestServices.GetRequiredService<ViewerPresence>().RoomDisplayAsked();
        }

        var session = id == CurrentSession ? registry.Sessions.LastOrDefault(s => !s.HasEnded) : registry.TryGet(id, out var named) ? named : null;
        if (session is null || session.HasEnded)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        if (!TryParseMode(context.Request.Query["mode"], out var mode))
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            await context.Response.WriteAsync("mode must be 'mse' or 'webcodecs'", context.RequestAborted);
            return;
        }

        if (!TryChooseAudio(mode, context.Request.Query["audio"], out var audio))
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            await context.Response.WriteAsync("audio must be 'aac', or 'pcm' with mode=webcodecs", context.RequestAborted);
            return;
        }

        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status426UpgradeRequired;
            context.Response.Headers.Upgrade = "websocket";
            return;
        }

        var lowDelay = options.LowDecoderDelay && !IsOff(context.Request.Query["lowDelay"]);
        var metrics = MediaMetrics.For(context.RequestServices);
        var logger = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("Receiver.Web.Media");
        var stopping = context.RequestServices.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
        var keepAlive = TimeSpan.FromSeconds(options.KeepAliveSeconds);
        var keepAliveTimeout = TimeSpan.FromSeconds(options.KeepAliveTimeoutSeconds);
        var directSocket = options.DirectSend && session.Cast is null ? DirectViewerSocket.SocketFor(context) : null;
        DirectViewerConnection? direct = null;
        WebSocket accepted;
        if (directSocket is not null)
        {
            (accepted, direct) = await DirectViewerSocket.AcceptAsync(context, directSocket, keepAlive, keepAliveTimeout);
        }
        else
        {
            accepted = await context.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext { KeepAliveInterval = keepAlive, KeepAliveTimeout = keepAliveTimeout });
        }

        // Disposed in reverse order: the WebSocket (and its close) first, then the direct connection under it.
        using var directConnection = direct;
        using var socket = accepted;
        using var slot = context.RequestServices.GetRequiredService<ViewerSlots>().TryTake(session.Id, out var full);
        if (slot is null)
        {
            // Accepted, then closed with the reason: a browser can read a close reason, not a refused upgrade's status.
            Log.ViewerRefused(logger, SessionLogId.Of(session.Id), full!);
            using var closing = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
            closing.CancelAfter(TimeSpan.FromSeconds(options.SendTimeoutSeconds));
            try
            {
                await socket.CloseAsync(MediaCloseStatus.Full, full, closing.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or WebSocketException)
            {
            }

            return;
        }

        if (session.Cast is { } cast)
        {
            var time = context.RequestServices.GetRequiredService<TimeProvider>();
            await new CastViewerSocket(socket, session, cast, id != CurrentSession, TimeSpan.FromSeconds(options.SendTimeoutSeconds), time, logger).RunAsync(stopping);
            return;
        }

        using var viewer = session.Media.Subscribe(audio);
        metrics.ViewerConnected();
        id = session.Id;
        Log.ViewerJoined(logger, SessionLogId.Of(id), viewer.Id, MediaFormatMessage.ModeName(mode), direct is null ? "websocket" : "direct", session.Media.ViewerCount);
        try
        {
            var streamer = new MediaWebSocketStreamer(
                socket,
                direct ?? (IViewerMessageWriter)new WebSocketMessageWriter(socket),
                viewer,
                mode,
                lowDelay,
                TimeSpan.FromSeconds(options.SendTimeoutSeconds),
                metrics,
                session.ReceiverLatency,
                session.Clock,
                context.RequestServices.GetRequiredService<TimeProvider>(),
                logger);
            await streamer.RunAsync(id, stopping);
        }
        finally
        {
            metrics.ViewerDisconnected();
            Log.ViewerLeft(logger, SessionLogId.Of(id), viewer.Id, viewer.DroppedFragments);
        }
    }

    private static bool IsOff(string? value) =>
        value is not null && (value == "0" || value.Equals("false", StringComparison.OrdinalIgnoreCase) || value.Equals("off", StringComparison.OrdinalIgnoreCase));

    private static partial class Log
    {
        [LoggerMessage(EventId = 63, Level = LogLevel.Information, Message = "Viewer {ViewerId} joined session {SessionId} ({Mode}, {SendPath} sends); {ViewerCount} viewer(s)")]
        public static partial void ViewerJoined(ILogger logger, string sessionId, long viewerId, string mode, string sendPath, int viewerCount);

        [LoggerMessage(EventId = 65, Level = LogLevel.Warning, Message = "Viewer of session {SessionId} refused: {Reason}")]
        public static partial void ViewerRefused(ILogger logger, string sessionId, string reason);

        [LoggerMessage(EventId = 64, Level = LogLevel.Information, Message = "Viewer {ViewerId} left session {SessionId}; {Dropped} fragment(s) skipped")]
        public static partial void ViewerLeft(ILogger logger, string sessionId, long viewerId, long dropped);
    }
}
