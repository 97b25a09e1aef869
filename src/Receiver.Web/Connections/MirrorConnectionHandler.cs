using System.Buffers;
using System.Net;
using Microsoft.AspNetCore.Connections;
using Receiver.Core.Mirroring;
using Receiver.Core.Sessions;
using Receiver.Web.Hosting;

namespace Receiver.Web.Connections;

/// <summary>
/// The mirror port. A connection that starts with <c>GET </c> or <c>POST</c> speaks the legacy HTTP flow
/// (<see cref="LegacyMirrorHandler"/>); anything else is a modern data connection, matched to the session that set up
/// a video stream from the same address and fed packet by packet to its <see cref="MirrorStreamReceiver"/>.
/// </summary>
public sealed partial class MirrorConnectionHandler(
    ReceiverRuntime runtime,
    SessionRegistry registry,
    LegacyMirrorHandler legacy,
    ILoggerFactory loggerFactory,
    IHostApplicationLifetime lifetime,
    TimeProvider time) : ConnectionHandler
{
    /// <summary>
    /// After TEARDOWN or the end of the session the data connection may still hold frames the sender wrote before it;
    /// they are read for this long unless the sender closes first.
    /// </summary>
    internal static readonly TimeSpan DrainGrace = TimeSpan.FromSeconds(1);

    private readonly ILogger _logger = loggerFactory.CreateLogger<MirrorConnectionHandler>();

    public override async Task OnConnectedAsync(ConnectionContext connection)
    {
        var remote = connection.RemoteEndPoint as IPEndPoint ?? new IPEndPoint(IPAddress.None, 0);
        if (remote.Address.IsIPv4MappedToIPv6)
        {
            remote = new IPEndPoint(remote.Address.MapToIPv4(), remote.Port);
        }

        var input = connection.Transport.Input;
        // The first four bytes must arrive within the first-bytes timeout; each flow then sets its own deadlines.
        using var reader = new ProtocolReader(input, time, new ProtocolTimeouts { Idle = runtime.IdleTimeout, FirstMessage = runtime.FirstBytesTimeout });
        try
        {
            switch (await StartsWithHttpAsync(reader, remote))
            {
                case true:
                    await legacy.RunAsync(connection, reader, remote);
                    break;
                case false:
                    await RunModernAsync(connection, reader, remote);
                    break;
                default:
                    // Closed or silent before the first four bytes: nothing to match.
                    break;
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (ConnectionResetException)
        {
        }
        finally
        {
            await input.CompleteAsync();
            await connection.Transport.Output.CompleteAsync();
        }
    }

    /// <summary>True for HTTP, false for binary packets, null when the sender closed or stayed silent before four bytes arrived.</summary>
    private async Task<bool?> StartsWithHttpAsync(ProtocolReader reader, IPEndPoint remote)
    {
        var result = await reader.ReadAsync(MirrorPortPreface.Instance, lifetime.ApplicationStopping);
        if (result.TimedOut is not null)
        {
            LogSilent(_logger, remote, result.UnparsedBytes, runtime.FirstBytesTimeout.TotalSeconds);
            return null;
        }

        if (!result.HasMessage)
        {
            return null;
        }

        // Nothing consumed: the four bytes stay for the flow's own reader.
        reader.Advance();
        return result.Message;
    }

    private async Task RunModernAsync(ConnectionContext connection, ProtocolReader reader, IPEndPoint remote)
    {
        var candidates = registry.PendingFrom(remote.Address);
        PendingMirrorStream? pending = null;
        var early = new List<(MirrorPacketHeader Header, byte[] Payload)>();
        if (candidates.Count == 1)
        {
            pending = registry.TryClaim(candidates[0]) ? candidates[0] : null;
        }
        else if (candidates.Count > 1)
        {
            using var deadline = new CancellationTokenSource(runtime.IdleTimeout, time);
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(lifetime.ApplicationStopping, deadline.Token);
            try
            {
                pending = await IdentifyAsync(reader, candidates, early, wait.Token);
            }
            catch (MirrorProtocolException ex)
            {
                LogUnidentified(_logger, remote, ex.Message);
                return;
            }
        }

        if (pending is null)
        {
            LogUnknownSender(_logger, remote);
            return;
        }

        var session = pending.Session;
        connection.ProtectPlace();
        using var tracked = session.TrackVideoConnection();
        var videoStopped = session.BeginVideo();
        // Not linked to ConnectionClosed: that token fires as soon as the sender's FIN arrives, while packets before it
        // may still wait in the pipe. The pipe itself completes after its last byte, which is the end to wait for.
        using var drain = new CancellationTokenSource(Timeout.InfiniteTimeSpan, time);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(lifetime.ApplicationStopping, drain.Token);
        using var ended = session.Ended.Register(static s => ((CancellationTokenSource)s!).CancelAfter(DrainGrace), drain);
        using var torn = videoStopped.Register(static s => ((CancellationTokenSource)s!).CancelAfter(DrainGrace), drain);
        using var receiver = new MirrorStreamReceiver(pending, runtime.Settings, registry, loggerFactory.CreateLogger<MirrorStreamReceiver>());
        LogStreamConnected(_logger, SessionLogId.Of(session.Id), remote);
        try
        {
            foreach (var (header, payload) in early)
            {
                receiver.Process(header, new ReadOnlySequence<byte>(payload));
            }

            var left = await MirrorPacketPump.RunAsync(connection, reader, receiver, runtime.Settings.MaxMirrorPayloadBytes, runtime.IdleTimeout, time, stop.Token);
            if (left > 0)
            {
                LogTruncated(_logger, SessionLogId.Of(session.Id), left);
            }
        }
        catch (MirrorProtocolException ex)
        {
            LogProtocolError(_logger, SessionLogId.Of(session.Id), remote, ex.Message);
        }
        finally
        {
            LogStreamClosed(_logger, SessionLogId.Of(session.Id), receiver.FramesReceived);
        }
    }

    /// <summary>
    /// Several sessions from one address wait for a data connection: read up to the first video packet and keep the
    /// stream whose key decrypts it. Packets read on the way are returned in <paramref name="early"/>.
    /// </summary>
    private async Task<PendingMirrorStream?> IdentifyAsync(ProtocolReader reader, IReadOnlyList<PendingMirrorStream> candidates, List<(MirrorPacketHeader, byte[])> early, CancellationToken cancellationToken)
    {
        const int MaxEarlyPackets = 64;
        // What is held for an unmatched connection is capped as a whole: each packet may use what is left of it.
        var budget = (long)runtime.Options.Limits.MaxUnmatchedMirrorBytes;
        reader.Timeouts = new ProtocolTimeouts { Idle = Timeout.InfiniteTimeSpan };
        while (early.Count < MaxEarlyPackets)
        {
            var left = budget - MirrorPacketHeader.Size;
            if (left <= 0)
            {
                throw new MirrorProtocolException(MirrorProtocolError.UnmatchedTooLarge, $"more than {runtime.Options.Limits.MaxUnmatchedMirrorBytes} bytes before its first video packet");
            }

            var packets = new MirrorPacketMessageReader((int)Math.Min(runtime.Settings.MaxMirrorPayloadBytes, left));
            ProtocolReadResult<MirrorPacket> result;
            try
            {
                result = await reader.ReadAsync(packets, cancellationToken);
            }
            catch (MirrorProtocolException ex) when (ex.Error == MirrorProtocolError.PayloadTooLarge && left < runtime.Settings.MaxMirrorPayloadBytes)
            {
                throw new MirrorProtocolException(MirrorProtocolError.UnmatchedTooLarge, $"more than {runtime.Options.Limits.MaxUnmatchedMirrorBytes} bytes before its first video packet ({ex.Message})");
            }

            if (!result.HasMessage)
            {
                return null;
            }

            var (header, payload) = result.Message;
            var bytes = payload.ToArray();
            budget -= MirrorPacketHeader.Size + bytes.Length;
            // Packets after the first video packet stay with the reader for the packet pump.
            reader.Advance();
            early.Add((header, bytes));
            if (header.PayloadType == MirrorPayloadType.Video)
            {
                foreach (var match in MirrorStreamMatcher.Match(candidates, bytes))
                {
                    if (registry.TryClaim(match))
                    {
                        return match;
                    }
                }

                return null;
            }
        }

        return null;
    }

    [LoggerMessage(EventId = 25, Level = LogLevel.Warning, Message = "Mirror connection from {Remote} refused before it was matched to a session: {Reason}")]
    private static partial void LogUnidentified(ILogger logger, IPEndPoint remote, string reason);

    [LoggerMessage(EventId = 20, Level = LogLevel.Warning, Message = "Mirror connection from {Remote} refused: no stream set up from this address matches it")]
    private static partial void LogUnknownSender(ILogger logger, IPEndPoint remote);

    [LoggerMessage(EventId = 21, Level = LogLevel.Information, Message = "Session {SessionId}: mirror stream connected from {Remote}")]
    private static partial void LogStreamConnected(ILogger logger, string sessionId, IPEndPoint remote);

    [LoggerMessage(EventId = 22, Level = LogLevel.Warning, Message = "Session {SessionId}: mirror stream from {Remote} closed: {Reason}")]
    private static partial void LogProtocolError(ILogger logger, string sessionId, IPEndPoint remote, string reason);

    [LoggerMessage(EventId = 23, Level = LogLevel.Warning, Message = "Session {SessionId}: mirror stream ended inside a packet ({Bytes} bytes left)")]
    private static partial void LogTruncated(ILogger logger, string sessionId, long bytes);

    [LoggerMessage(EventId = 24, Level = LogLevel.Information, Message = "Session {SessionId}: mirror stream closed after {Frames} frames")]
    private static partial void LogStreamClosed(ILogger logger, string sessionId, long frames);

    [LoggerMessage(EventId = 26, Level = LogLevel.Information, Message = "Mirror connection from {Remote} closed: {Bytes} bytes in its first {Seconds} s")]
    private static partial void LogSilent(ILogger logger, IPEndPoint remote, long bytes, double seconds);
}
