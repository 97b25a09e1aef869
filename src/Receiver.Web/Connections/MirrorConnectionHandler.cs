using System.Buffers;
using System.IO.Pipelines;
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
    IHostApplicationLifetime lifetime) : ConnectionHandler
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
        try
        {
            switch (await StartsWithHttpAsync(connection))
            {
                case true:
                    await legacy.RunAsync(connection, remote);
                    break;
                case false:
                    await RunModernAsync(connection, remote);
                    break;
                default:
                    // Closed before the first four bytes: nothing to match.
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

    /// <summary>True for HTTP, false for binary packets, null when the sender closed before four bytes arrived.</summary>
    private async Task<bool?> StartsWithHttpAsync(ConnectionContext connection)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(lifetime.ApplicationStopping);
        timeout.CancelAfter(runtime.IdleTimeout);
        var result = await connection.Transport.Input.ReadAtLeastAsync(4, timeout.Token);
        var buffer = result.Buffer;
        Span<byte> first = stackalloc byte[4];
        if (buffer.Length < 4)
        {
            connection.Transport.Input.AdvanceTo(buffer.Start, buffer.End);
            return null;
        }

        buffer.Slice(0, 4).CopyTo(first);
        connection.Transport.Input.AdvanceTo(buffer.Start);
        return first.SequenceEqual("GET "u8) || first.SequenceEqual("POST"u8);
    }

    private async Task RunModernAsync(ConnectionContext connection, IPEndPoint remote)
    {
        var input = connection.Transport.Input;
        var candidates = registry.PendingFrom(remote.Address);
        PendingMirrorStream? pending = null;
        var early = new List<(MirrorPacketHeader Header, byte[] Payload)>();
        if (candidates.Count == 1)
        {
            pending = registry.TryClaim(candidates[0]) ? candidates[0] : null;
        }
        else if (candidates.Count > 1)
        {
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(lifetime.ApplicationStopping);
            wait.CancelAfter(runtime.IdleTimeout);
            try
            {
                pending = await IdentifyAsync(input, candidates, early, wait.Token);
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
        using var tracked = session.TrackVideoConnection();
        var videoStopped = session.BeginVideo();
        // Not linked to ConnectionClosed: that token fires as soon as the sender's FIN arrives, while packets before it
        // may still wait in the pipe. The pipe itself completes after its last byte, which is the end to wait for.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(lifetime.ApplicationStopping);
        using var ended = session.Ended.Register(static s => ((CancellationTokenSource)s!).CancelAfter(DrainGrace), stop);
        using var torn = videoStopped.Register(static s => ((CancellationTokenSource)s!).CancelAfter(DrainGrace), stop);
        using var receiver = new MirrorStreamReceiver(pending, runtime.Settings, registry, loggerFactory.CreateLogger<MirrorStreamReceiver>());
        LogStreamConnected(_logger, session.Id, remote);
        try
        {
            foreach (var (header, payload) in early)
            {
                receiver.Process(header, new ReadOnlySequence<byte>(payload));
            }

            var left = await MirrorPacketPump.RunAsync(input, receiver, runtime.Settings.MaxMirrorPayloadBytes, runtime.IdleTimeout, stop.Token);
            if (left > 0)
            {
                LogTruncated(_logger, session.Id, left);
            }
        }
        catch (MirrorProtocolException ex)
        {
            LogProtocolError(_logger, session.Id, remote, ex.Message);
        }
        finally
        {
            receiver.Complete();
            LogStreamClosed(_logger, session.Id, receiver.FramesReceived);
        }
    }

    /// <summary>
    /// Several sessions from one address wait for a data connection: read up to the first video packet and keep the
    /// stream whose key decrypts it. Packets read on the way are returned in <paramref name="early"/>.
    /// </summary>
    private async Task<PendingMirrorStream?> IdentifyAsync(PipeReader input, IReadOnlyList<PendingMirrorStream> candidates, List<(MirrorPacketHeader, byte[])> early, CancellationToken cancellationToken)
    {
        const int MaxEarlyPackets = 64;
        var maxPayload = runtime.Settings.MaxMirrorPayloadBytes;
        while (early.Count < MaxEarlyPackets)
        {
            var result = await input.ReadAsync(cancellationToken);
            var buffer = result.Buffer;
            var identified = false;
            try
            {
                while (early.Count < MaxEarlyPackets && MirrorPacketReader.TryRead(ref buffer, maxPayload, out var header, out var payload))
                {
                    var bytes = payload.ToArray();
                    early.Add((header, bytes));
                    if (header.PayloadType == MirrorPayloadType.Video)
                    {
                        identified = true;
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
            }
            finally
            {
                // Packets after the first video packet stay unexamined for the packet pump.
                input.AdvanceTo(buffer.Start, identified ? buffer.Start : buffer.End);
            }

            if (result.IsCompleted)
            {
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
}
