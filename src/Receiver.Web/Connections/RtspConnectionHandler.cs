using System.Net;
using Microsoft.AspNetCore.Connections;
using Receiver.Core.Access;
using Receiver.Core.Rtsp;
using Receiver.Core.Sessions;
using Receiver.Web.Diagnostics;
using Receiver.Web.Hosting;

namespace Receiver.Web.Connections;

/// <summary>
/// The AirPlay control port: reads requests from the connection's pipe, lets <see cref="AirPlayControlSession"/> answer
/// them in order (pipelined requests included), and closes the connection on protocol faults, idle timeout or session end.
/// </summary>
public sealed partial class RtspConnectionHandler(
    ReceiverRuntime runtime,
    SessionRegistry registry,
    ILoggerFactory loggerFactory,
    IHostApplicationLifetime lifetime,
    TimeProvider time,
    SenderAccessPolicy access,
    SessionCaptures captures) : ConnectionHandler
{
    private readonly ILogger _logger = loggerFactory.CreateLogger<RtspConnectionHandler>();

    public override async Task OnConnectedAsync(ConnectionContext connection)
    {
        var remote = Normalize(connection.RemoteEndPoint as IPEndPoint ?? new IPEndPoint(IPAddress.Loopback, 0));
        var capture = captures.Begin(remote);
        var session = new AirPlayControlSession(runtime.Settings, runtime.Identity.Keys, registry, remote, loggerFactory, new UdpStreamEndpoints(registry.Time, loggerFactory, runtime.Audio), access, capture);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(lifetime.ApplicationStopping);
        using var reader = new ProtocolReader(connection.Transport.Input, time, new ProtocolTimeouts { Idle = runtime.IdleTimeout, Message = runtime.RequestTimeout });
        var requests = new RtspRequestReader(runtime.RtspLimits);
        CancellationTokenRegistration sessionEnded = default;
        var output = connection.Transport.Output;
        var reason = SessionEndReason.Disconnect;
        LogConnected(_logger, remote);
        try
        {
            while (true)
            {
                var close = false;
                var switched = false;
                string? appleSessionId = null;
                try
                {
                    var result = await reader.ReadAsync(requests, stop.Token);
                    if (result.TimedOut == ProtocolTimeout.Message)
                    {
                        LogRequestTooSlow(_logger, remote, runtime.RequestTimeout.TotalSeconds, result.UnparsedBytes);
                        reason = SessionEndReason.Timeout;
                        break;
                    }

                    if (result.TimedOut is not null)
                    {
                        reason = StoppedReading(session, connection, remote);
                        break;
                    }

                    if (result.IsCompleted)
                    {
                        if (result.UnparsedBytes > 0)
                        {
                            LogTruncated(_logger, remote, result.UnparsedBytes);
                        }

                        break;
                    }

                    var request = result.Message!;
                    try
                    {
                        var receivedAt = capture.Now;
                        var response = await session.HandleAsync(request, stop.Token);
                        if (!response.Suppressed)
                        {
                            RtspResponseWriter.Write(response, request, time.GetUtcNow(), output);
                        }

                        close = response.CloseConnection && !string.Equals(request.Method, "TEARDOWN", StringComparison.Ordinal);
                        capture.RecordExchange(receivedAt, request, response.Suppressed ? null : response, close);
                        switched = response.SwitchesProtocol;
                        appleSessionId = request.Headers["X-Apple-Session-ID"];
                    }
                    finally
                    {
                        reader.Advance();
                    }

                    if (session.Session is { } started && sessionEnded == default)
                    {
                        connection.ProtectPlace();
                        sessionEnded = started.Ended.Register(static s => ((CancellationTokenSource)s!).Cancel(), stop);
                        captures.Track(capture);
                    }
                }
                catch (RtspProtocolException ex)
                {
                    LogProtocolError(_logger, remote, ex.Reason, ex.Message);
                    RtspResponseWriter.WriteRefusal(ex, time.GetUtcNow(), output);
                    capture.RecordRefusal(ex.StatusCode, ex.CSeq, ex.Reason.ToString());
                    close = true;
                    reason = SessionEndReason.Error;
                }

                if (switched)
                {
                    await HoldReverseChannelAsync(reader, output, appleSessionId, remote, stop.Token);
                    break;
                }

                var flush = await output.FlushAsync(lifetime.ApplicationStopping);
                if (close || flush.IsCompleted)
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException)
        {
            reason = StoppedReading(session, connection, remote);
        }
        catch (ConnectionResetException)
        {
            reason = SessionEndReason.Disconnect;
        }
        finally
        {
            await sessionEnded.DisposeAsync();
            await session.CloseAsync(reason);
            await captures.CompleteAsync(capture, (session.Session?.EndReason ?? reason).ToString().ToLowerInvariant());
            await connection.Transport.Input.CompleteAsync();
            await output.CompleteAsync();
            LogDisconnected(_logger, remote);
        }
    }

    /// <summary>
    /// Keeps a reverse (PTTH) channel open until the sender closes it: it stays silent while a video plays, so it is
    /// held for <see cref="ReverseChannelIdle"/> rather than the control port's idle timeout. The channel is known to
    /// the casts before its <c>101</c> (already written) is flushed, through the channel itself, so a <c>/play</c> the
    /// phone sends the moment it reads the <c>101</c> already finds it and its first state event is not lost.
    /// </summary>
    private async Task HoldReverseChannelAsync(ProtocolReader reader, System.IO.Pipelines.PipeWriter output, string? appleSessionId, IPEndPoint remote, CancellationToken cancellationToken)
    {
        LogReverseChannel(_logger, remote);
        using var channel = new PipeReverseChannel(output);
        var key = Receiver.Core.Access.SenderText.Clean(appleSessionId, 64);
        if (key is not null)
        {
            registry.ReverseChannels.Add(key, channel);
        }

        try
        {
            if ((await channel.FlushAsync(lifetime.ApplicationStopping)).IsCompleted)
            {
                return;
            }

            await ReadAnswersAsync(reader, cancellationToken);
        }
        finally
        {
            if (key is not null)
            {
                registry.ReverseChannels.Remove(key, channel);
            }

            channel.Close();
        }
    }

    private static async Task ReadAnswersAsync(ProtocolReader reader, CancellationToken cancellationToken)
    {
        reader.Timeouts = new ProtocolTimeouts { Idle = ReverseChannelIdle };
        var answers = new Receiver.Core.Casting.ReverseChannelReader();
        while (true)
        {
            var result = await reader.ReadAsync(answers, cancellationToken);
            if (result.IsCompleted || result.TimedOut is not null)
            {
                return;
            }

            reader.Advance();
        }
    }

    /// <summary>How long a reverse channel may stay silent.</summary>
    public static readonly TimeSpan ReverseChannelIdle = TimeSpan.FromHours(4);

    /// <summary>Why a connection whose reads stopped ended: the session's own end, shutdown, the peer, or the idle timeout (logged).</summary>
    private SessionEndReason StoppedReading(AirPlayControlSession session, ConnectionContext connection, IPEndPoint remote)
    {
        var ended = session.Session?.EndReason;
        var reason = ended
            ?? (lifetime.ApplicationStopping.IsCancellationRequested ? SessionEndReason.Shutdown
            : connection.ConnectionClosed.IsCancellationRequested ? SessionEndReason.Disconnect
            : SessionEndReason.Timeout);
        if (ended is null && reason == SessionEndReason.Timeout)
        {
            LogIdle(_logger, remote);
        }

        return reason;
    }

    private static IPEndPoint Normalize(IPEndPoint endpoint) =>
        endpoint.Address.IsIPv4MappedToIPv6 ? new IPEndPoint(endpoint.Address.MapToIPv4(), endpoint.Port) : endpoint;

    [LoggerMessage(EventId = 1, Level = LogLevel.Debug, Message = "Control connection from {Remote}")]
    private static partial void LogConnected(ILogger logger, IPEndPoint remote);

    [LoggerMessage(EventId = 2, Level = LogLevel.Debug, Message = "Control connection from {Remote} closed")]
    private static partial void LogDisconnected(ILogger logger, IPEndPoint remote);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "Control connection from {Remote} refused: {Reason}: {Detail}")]
    private static partial void LogProtocolError(ILogger logger, IPEndPoint remote, RtspErrorReason reason, string detail);

    [LoggerMessage(EventId = 4, Level = LogLevel.Warning, Message = "Control connection from {Remote} closed mid-request ({Bytes} bytes unparsed)")]
    private static partial void LogTruncated(ILogger logger, IPEndPoint remote, long bytes);

    [LoggerMessage(EventId = 5, Level = LogLevel.Information, Message = "Control connection from {Remote} idle too long; closed")]
    private static partial void LogIdle(ILogger logger, IPEndPoint remote);

    [LoggerMessage(EventId = 7, Level = LogLevel.Debug, Message = "Control connection from {Remote} is now a reverse channel")]
    private static partial void LogReverseChannel(ILogger logger, IPEndPoint remote);

    [LoggerMessage(EventId = 6, Level = LogLevel.Warning, Message = "Control connection from {Remote} closed: request not complete {Seconds} s after its first byte ({Bytes} bytes received)")]
    private static partial void LogRequestTooSlow(ILogger logger, IPEndPoint remote, double seconds, long bytes);
}
