using System.Net;
using Microsoft.AspNetCore.Connections;
using Receiver.Core.Mirroring;
using Receiver.Core.Sessions;
using Receiver.Web.Hosting;

namespace Receiver.Web.Connections;

/// <summary>
/// The mirror data port: matches the connection to the session that set up a video stream from the same address,
/// then feeds 128-byte-header packets to that session's <see cref="MirrorStreamReceiver"/> until the stream or session ends.
/// </summary>
public sealed partial class MirrorConnectionHandler(
    ReceiverRuntime runtime,
    SessionRegistry registry,
    ILoggerFactory loggerFactory,
    IHostApplicationLifetime lifetime) : ConnectionHandler
{
    private readonly ILogger _logger = loggerFactory.CreateLogger<MirrorConnectionHandler>();

    public override async Task OnConnectedAsync(ConnectionContext connection)
    {
        var remote = connection.RemoteEndPoint as IPEndPoint ?? new IPEndPoint(IPAddress.None, 0);
        var input = connection.Transport.Input;
        if (!registry.TryClaimMirrorConnection(remote.Address, out var pending))
        {
            LogUnknownSender(_logger, remote);
            await input.CompleteAsync();
            await connection.Transport.Output.CompleteAsync();
            return;
        }

        var session = pending.Session;
        var videoStopped = session.BeginVideo();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(connection.ConnectionClosed, lifetime.ApplicationStopping, session.Ended, videoStopped);
        using var receiver = new MirrorStreamReceiver(pending, runtime.Settings, registry, loggerFactory.CreateLogger<MirrorStreamReceiver>());
        var maxPayload = runtime.Settings.MaxMirrorPayloadBytes;
        LogStreamConnected(_logger, session.Id, remote);
        try
        {
            while (true)
            {
                var result = await input.ReadAsync(stop.Token);
                var buffer = result.Buffer;
                while (MirrorPacketReader.TryRead(ref buffer, maxPayload, out var header, out var payload))
                {
                    receiver.Process(header, payload);
                }

                input.AdvanceTo(buffer.Start, buffer.End);
                if (result.IsCompleted)
                {
                    if (!buffer.IsEmpty)
                    {
                        LogTruncated(_logger, session.Id, buffer.Length);
                    }

                    break;
                }
            }
        }
        catch (MirrorProtocolException ex)
        {
            LogProtocolError(_logger, session.Id, remote, ex.Message);
        }
        catch (OperationCanceledException)
        {
        }
        catch (ConnectionResetException)
        {
        }
        finally
        {
            receiver.Complete();
            await input.CompleteAsync();
            await connection.Transport.Output.CompleteAsync();
            LogStreamClosed(_logger, session.Id, receiver.FramesReceived);
        }
    }

    [LoggerMessage(EventId = 20, Level = LogLevel.Warning, Message = "Mirror connection from {Remote} refused: no session expects a stream from this address")]
    private static partial void LogUnknownSender(ILogger logger, IPEndPoint remote);

    [LoggerMessage(EventId = 21, Level = LogLevel.Information, Message = "Session {SessionId}: mirror stream connected from {Remote}")]
    private static partial void LogStreamConnected(ILogger logger, string sessionId, IPEndPoint remote);

    [LoggerMessage(EventId = 22, Level = LogLevel.Warning, Message = "Session {SessionId}: mirror stream from {Remote} closed: {Reason}")]
    private static partial void LogProtocolError(ILogger logger, string sessionId, IPEndPoint remote, string reason);

    [LoggerMessage(EventId = 23, Level = LogLevel.Warning, Message = "Session {SessionId}: mirror stream ended inside a packet ({Bytes} bytes left)")]
    private static partial void LogTruncated(ILogger logger, string sessionId, long bytes);

    [LoggerMessage(EventId = 24, Level = LogLevel.Information, Message = "Session {SessionId}: mirror stream closed after {Frames} frames")]
    private static partial void LogStreamClosed(ILogger logger, string sessionId, long frames);
}
