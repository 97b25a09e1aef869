using System.Net.WebSockets;
using System.Text.Json;
using System.Threading.Channels;
using Receiver.Core.Access;
using Receiver.Core.Casting;
using Receiver.Core.Sessions;

namespace Receiver.Web.Media;

/// <summary>
/// A viewer page of a cast session on the media WebSocket: sends the cast's timeline at every change and once a
/// second, reads the page's reports into <see cref="CastSession.Report"/>, and closes with 4000 when the session ends.
/// The cast's own page (<paramref name="ownPage"/>: <c>/view/{id}</c>, whose policy lists the cast's direct segment
/// origins) plays the direct master playlist; a room display plays the one whose segments all go through the proxy.
/// </summary>
public sealed partial class CastViewerSocket(WebSocket socket, MirroringSession session, CastSession cast, bool ownPage, TimeSpan sendTimeout, TimeProvider time, ILogger logger)
{
    /// <summary>Largest report a page may send.</summary>
    public const int MaxReportBytes = 16 * 1024;

    private const int MaxRanges = 32;
    private static long s_nextViewer;
    private readonly long _viewerId = Interlocked.Increment(ref s_nextViewer);

    public async Task RunAsync(CancellationToken stopping)
    {
        using var done = CancellationTokenSource.CreateLinkedTokenSource(stopping, session.Ended);
        var changed = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
        void OnChanged(CastSnapshot snapshot, bool stateChanged) => changed.Writer.TryWrite(true);
        cast.Changed += OnChanged;
        var receiving = ReceiveAsync(done);
        try
        {
            using var tick = new PeriodicTimer(TimeSpan.FromSeconds(1), time);
            var ticking = tick.WaitForNextTickAsync(done.Token).AsTask();
            while (!done.IsCancellationRequested)
            {
                await SendAsync(done.Token);
                var waitChange = changed.Reader.WaitToReadAsync(done.Token).AsTask();
                var first = await Task.WhenAny(waitChange, ticking, receiving);
                if (first == receiving)
                {
                    break;
                }

                if (first == ticking)
                {
                    ticking = tick.WaitForNextTickAsync(done.Token).AsTask();
                }

                changed.Reader.TryRead(out _);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException)
        {
        }
        finally
        {
            cast.Changed -= OnChanged;
            cast.ViewerLeft(_viewerId);
            await done.CancelAsync();
            await receiving.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            await CloseAsync();
        }
    }

    private async Task SendAsync(CancellationToken cancellationToken)
    {
        var snapshot = cast.Snapshot();
        var message = new CastTimelineMessage(
            "cast",
            ownPage && cast.Hls is { } hls ? hls.DirectMasterPath : cast.PageUrl,
            cast.Kind == CastMediaKind.Hls ? "hls" : "file",
            cast.Title,
            snapshot.StateText,
            snapshot.Position,
            snapshot.State is CastState.Playing or CastState.Loading ? snapshot.RequestedRate : 0,
            double.IsInfinity(snapshot.Duration) ? 0 : snapshot.Duration,
            snapshot.Version);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(sendTimeout);
        await socket.SendAsync(JsonSerializer.SerializeToUtf8Bytes(message), WebSocketMessageType.Text, true, timeout.Token);
    }

    private async Task ReceiveAsync(CancellationTokenSource done)
    {
        var buffer = new byte[MaxReportBytes];
        try
        {
            while (!done.IsCancellationRequested)
            {
                var length = 0;
                ValueWebSocketReceiveResult result;
                do
                {
                    if (length == buffer.Length)
                    {
                        LogBadReport(logger, SessionLogId.Of(session.Id), "report too large");
                        return;
                    }

                    result = await socket.ReceiveAsync(buffer.AsMemory(length), done.Token);
                    length += result.Count;
                }
                while (!result.EndOfMessage);

                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return;
                }

                if (result.MessageType == WebSocketMessageType.Text && Parse(buffer.AsSpan(0, length)) is { } report)
                {
                    cast.Report(_viewerId, report);
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException)
        {
        }
    }

    private CastReport? Parse(ReadOnlySpan<byte> json)
    {
        try
        {
            var message = JsonSerializer.Deserialize<CastReportMessage>(json);
            if (message is null || message.Type != "report" || !double.IsFinite(message.Position) || !double.IsFinite(message.Duration))
            {
                return null;
            }

            return new CastReport(
                message.Version,
                Math.Max(0, message.Position),
                Math.Max(0, message.Duration),
                message.Ready,
                message.Playing,
                message.Ended,
                SenderText.Clean(message.Error, 200),
                Ranges(message.Buffered),
                Ranges(message.Seekable));
        }
        catch (JsonException ex)
        {
            LogBadReport(logger, SessionLogId.Of(session.Id), ex.Message);
            return null;
        }
    }

    private static CastTimeRange[] Ranges(double[][]? ranges) =>
        ranges is null
            ? []
            : [.. ranges.Take(MaxRanges)
                .Where(r => r is { Length: 2 } && double.IsFinite(r[0]) && double.IsFinite(r[1]) && r[1] >= r[0])
                .Select(r => new CastTimeRange(r[0], r[1] - r[0]))];

    private async Task CloseAsync()
    {
        if (socket.State is not (WebSocketState.Open or WebSocketState.CloseReceived))
        {
            return;
        }

        using var timeout = new CancellationTokenSource(sendTimeout);
        try
        {
            if (session.HasEnded)
            {
                var reason = session.EndReason?.ToString().ToLowerInvariant() ?? "ended";
                await socket.CloseAsync(MediaCloseStatus.Ended, MediaCloseStatus.EndedReason(reason), timeout.Token);
            }
            else
            {
                await socket.CloseAsync(MediaCloseStatus.ServerStopping, "stopping", timeout.Token);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException)
        {
        }
    }

    [LoggerMessage(EventId = 66, Level = LogLevel.Debug, Message = "Cast viewer of session {SessionId} sent an unreadable report: {Reason}")]
    private static partial void LogBadReport(ILogger logger, string sessionId, string reason);
}
