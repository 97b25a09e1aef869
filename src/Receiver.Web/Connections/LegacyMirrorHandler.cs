using System.Net;
using Microsoft.AspNetCore.Connections;
using Receiver.Core.Access;
using Receiver.Core.Diagnostics;
using Receiver.Core.Legacy;
using Receiver.Core.Mirroring;
using Receiver.Core.Rtsp;
using Receiver.Core.Sessions;
using Receiver.Web.Diagnostics;
using Receiver.Web.Hosting;

namespace Receiver.Web.Connections;

/// <summary>
/// The legacy port-7100 flow on one connection: HTTP requests until <c>POST /stream</c>, then, on the same bytes,
/// the packet stream of a session flagged <c>legacy</c>.
/// </summary>
public sealed partial class LegacyMirrorHandler(
    ReceiverRuntime runtime,
    SessionRegistry registry,
    ILoggerFactory loggerFactory,
    IHostApplicationLifetime lifetime,
    TimeProvider time,
    SenderAccessPolicy access,
    SessionCaptures captures)
{
    private readonly ILogger _logger = loggerFactory.CreateLogger<LegacyMirrorHandler>();

    /// <summary>Serves the connection from the bytes <paramref name="reader"/> has not handed out yet.</summary>
    public async Task RunAsync(ConnectionContext connection, ProtocolReader reader, IPEndPoint remote)
    {
        var capture = captures.Begin(remote, ProtocolCapture.LegacyFlow);
        await using var legacy = new LegacyMirrorConnection(runtime.Settings, registry, remote, runtime.Options.Legacy.SenderTimingPort, loggerFactory, access, capture);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(lifetime.ApplicationStopping);
        var output = connection.Transport.Output;
        var reason = SessionEndReason.Disconnect;
        try
        {
            if (!await ServeHttpAsync(legacy, capture, connection, reader, stop.Token))
            {
                return;
            }

            var stream = legacy.Stream!;
            connection.ProtectPlace();
            captures.Track(capture);
            // The packet stream ends when its pipe completes after the last byte; ConnectionClosed would fire at the
            // sender's FIN and could cut off packets still in the pipe.
            using var streaming = CancellationTokenSource.CreateLinkedTokenSource(lifetime.ApplicationStopping, stream.Session.Ended);
            using var receiver = new MirrorStreamReceiver(stream, runtime.Settings, registry, loggerFactory.CreateLogger<MirrorStreamReceiver>());
            try
            {
                var left = await MirrorPacketPump.RunAsync(connection, reader, receiver, runtime.Settings.MaxMirrorPayloadBytes, runtime.IdleTimeout, time, streaming.Token);
                if (left > 0)
                {
                    LogTruncated(_logger, stream.Session.Id, left);
                }
            }
            catch (MirrorProtocolException ex)
            {
                reason = ex.Error == MirrorProtocolError.Silent ? SessionEndReason.Timeout : SessionEndReason.Error;
                LogProtocolError(_logger, stream.Session.Id, remote, ex.Message);
            }
        }
        catch (OperationCanceledException)
        {
            reason = legacy.Stream?.Session.EndReason ?? (lifetime.ApplicationStopping.IsCancellationRequested ? SessionEndReason.Shutdown : SessionEndReason.Disconnect);
        }
        finally
        {
            await legacy.CloseAsync(reason);
            await output.FlushAsync(CancellationToken.None);
            await captures.CompleteAsync(capture, (legacy.Stream?.Session.EndReason ?? reason).ToString().ToLowerInvariant());
        }
    }

    /// <summary>Answers HTTP requests; true once <c>POST /stream</c> switched the connection to packets.</summary>
    private async Task<bool> ServeHttpAsync(LegacyMirrorConnection legacy, ProtocolCapture capture, ConnectionContext connection, ProtocolReader reader, CancellationToken cancellationToken)
    {
        var output = connection.Transport.Output;
        var requests = new RtspRequestReader(runtime.RtspLimits);
        reader.Timeouts = new ProtocolTimeouts { Idle = runtime.IdleTimeout, Message = runtime.RequestTimeout };
        while (true)
        {
            try
            {
                var result = await reader.ReadAsync(requests, cancellationToken);
                if (result.TimedOut == ProtocolTimeout.Message)
                {
                    LogRequestTooSlow(_logger, connection.RemoteEndPoint?.ToString() ?? "?", runtime.RequestTimeout.TotalSeconds, result.UnparsedBytes);
                    return false;
                }

                if (!result.HasMessage)
                {
                    return false;
                }

                var request = result.Message!;
                // Bytes after POST /stream's body are the first packets: the reader keeps them for the packet stream.
                reader.Advance();
                var receivedAt = capture.Now;
                var response = await legacy.HandleAsync(request, cancellationToken);
                if (legacy.Stream is not null)
                {
                    // POST /stream is answered with nothing: the packets follow on the same bytes.
                    capture.RecordExchange(receivedAt, request, null);
                    return true;
                }

                RtspResponseWriter.Write(response, request, time.GetUtcNow(), output);
                capture.RecordExchange(receivedAt, request, response, response.CloseConnection);
                if (response.CloseConnection)
                {
                    return false;
                }
            }
            catch (RtspProtocolException ex)
            {
                LogHttpError(_logger, connection.RemoteEndPoint?.ToString() ?? "?", ex.Message);
                RtspResponseWriter.WriteRefusal(ex, time.GetUtcNow(), output);
                capture.RecordRefusal(ex.StatusCode, ex.CSeq, ex.Reason.ToString());
                return false;
            }
            finally
            {
                await output.FlushAsync(cancellationToken);
            }
        }
    }

    [LoggerMessage(EventId = 40, Level = LogLevel.Warning, Message = "Legacy connection from {Remote} refused: {Reason}")]
    private static partial void LogHttpError(ILogger logger, string remote, string reason);

    [LoggerMessage(EventId = 41, Level = LogLevel.Warning, Message = "Session {SessionId}: legacy stream from {Remote} closed: {Reason}")]
    private static partial void LogProtocolError(ILogger logger, string sessionId, IPEndPoint remote, string reason);

    [LoggerMessage(EventId = 42, Level = LogLevel.Warning, Message = "Session {SessionId}: legacy stream ended inside a packet ({Bytes} bytes left)")]
    private static partial void LogTruncated(ILogger logger, string sessionId, long bytes);

    [LoggerMessage(EventId = 43, Level = LogLevel.Warning, Message = "Legacy connection from {Remote} closed: request not complete {Seconds} s after its first byte ({Bytes} bytes received)")]
    private static partial void LogRequestTooSlow(ILogger logger, string remote, double seconds, long bytes);
}
