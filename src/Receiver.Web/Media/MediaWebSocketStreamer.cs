using System.Diagnostics;
using System.Net.WebSockets;
using System.Runtime.CompilerServices;
using Receiver.Core.Media;
using Receiver.Core.Timing;

namespace Receiver.Web.Media;

/// <summary>
/// Streams one viewer's queue to its WebSocket: a format text message and (MSE) an init segment for every
/// format, then one binary message per access unit, each preceded by a <see cref="MediaFrameHeader"/>.
/// It only ever waits on its own viewer's queue and socket, so a slow viewer affects no other; the
/// <see cref="MediaChannel"/> skips it forward when its queue overflows.
/// </summary>
internal sealed partial class MediaWebSocketStreamer
{
    private static readonly TimeSpan CloseHandshakeTimeout = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan CloseOutputTimeout = TimeSpan.FromSeconds(5);

    private readonly WebSocket _socket;
    private readonly IViewerMessageWriter _writer;
    private readonly MediaViewer _viewer;
    private readonly MediaStreamMode _mode;
    private readonly bool _lowDelay;
    private readonly TimeSpan _sendTimeout;
    private readonly MediaMetrics _metrics;
    private readonly LatencyWindow _receiverLatency;
    private readonly SenderClock _clock;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly string _modeName;

    private int _catchUpFragments;
    private bool _formatSent;
    private bool _audioFormatSent;

    /// <summary>A streamer that writes its messages through <paramref name="socket"/> itself.</summary>
    public MediaWebSocketStreamer(
        WebSocket socket,
        MediaViewer viewer,
        MediaStreamMode mode,
        bool lowDelay,
        TimeSpan sendTimeout,
        MediaMetrics metrics,
        LatencyWindow receiverLatency,
        SenderClock clock,
        TimeProvider time,
        ILogger logger)
        : this(socket, new WebSocketMessageWriter(socket), viewer, mode, lowDelay, sendTimeout, metrics, receiverLatency, clock, time, logger)
    {
    }

    /// <param name="socket">The viewer's WebSocket: its incoming frames, the close handshake, aborting it.</param>
    /// <param name="writer">Where the media messages are written (the WebSocket itself, or its connection's socket).</param>
    public MediaWebSocketStreamer(
        WebSocket socket,
        IViewerMessageWriter writer,
        MediaViewer viewer,
        MediaStreamMode mode,
        bool lowDelay,
        TimeSpan sendTimeout,
        MediaMetrics metrics,
        LatencyWindow receiverLatency,
        SenderClock clock,
        TimeProvider time,
        ILogger logger)
    {
        _clock = clock;
        _socket = socket;
        _writer = writer;
        _viewer = viewer;
        _mode = mode;
        _lowDelay = lowDelay;
        _sendTimeout = sendTimeout;
        _metrics = metrics;
        _receiverLatency = receiverLatency;
        _time = time;
        _logger = logger;
        _modeName = MediaFormatMessage.ModeName(mode);
        _catchUpFragments = viewer.BacklogFragments;
    }

    /// <summary>Runs until the session ends, the viewer leaves or <paramref name="stopping"/> fires.</summary>
    public async Task RunAsync(string sessionId, CancellationToken stopping)
    {
        using var receiveStop = new CancellationTokenSource();
        using var connection = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        using var send = new LinkedTimeout(_time, Timeout.InfiniteTimeSpan, connection.Token);
        var receive = ReceiveUntilClosedAsync(receiveStop.Token, connection);
        try
        {
            await foreach (var message in _viewer.Reader.ReadAllAsync(connection.Token))
            {
                try
                {
                    if (message is MediaMessage.Ended ended)
                    {
                        await CloseAsync(MediaCloseStatus.Ended, MediaCloseStatus.EndedReason(ended.Reason));
                        Log.Ended(_logger, sessionId, _viewer.Id, ended.Reason);
                        break;
                    }

                    send.CancelAfter(_sendTimeout);
                    await SendAsync(message, send.Token);
                    send.CancelAfter(Timeout.InfiniteTimeSpan);
                }
                finally
                {
                    // The send is complete (the socket, or the WebSocket's frame, has the bytes): the fragment may go back to the pool.
                    message.Release();
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            await CloseAsync(MediaCloseStatus.ServerStopping, "server stopping");
        }
        catch (OperationCanceledException) when (send.IsCancellationRequested && !connection.IsCancellationRequested)
        {
            Log.SendTimedOut(_logger, sessionId, _viewer.Id, _sendTimeout.TotalSeconds);
            _socket.Abort();
        }
        catch (OperationCanceledException)
        {
            // The viewer closed its side.
        }
        catch (WebSocketException ex)
        {
            Log.ViewerGone(_logger, sessionId, _viewer.Id, ex.Message);
        }
        finally
        {
            if (_socket.State == WebSocketState.CloseSent)
            {
                await receive.WaitAsync(CloseHandshakeTimeout, _time, CancellationToken.None).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }

            await receiveStop.CancelAsync();
            await receive;
        }
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask SendAsync(MediaMessage message, CancellationToken cancellationToken)
    {
        switch (message)
        {
            case MediaMessage.FormatChanged changed:
                var format = BrowserFormat.For(changed, _lowDelay);
                await _writer.WriteTextAsync(format.FormatMessage(_mode), cancellationToken);
                if (_mode == MediaStreamMode.Mse)
                {
                    var header = new MediaFrameHeader(MediaFrameKind.InitSegment, false, 0, 0, 0, 0, UnixMicroseconds(_time.GetUtcNow()));
                    await _writer.WriteBinaryAsync(header, format.InitSegment, cancellationToken);
                }

                _formatSent = true;
                break;
            case MediaMessage.Fragment fragment when _formatSent:
                await SendFragmentAsync(fragment, cancellationToken);
                break;
            case MediaMessage.AudioFormatChanged audio:
                await _writer.WriteTextAsync(AudioFormatMessage.Create(audio.Format, _mode).ToUtf8Json(), cancellationToken);
                if (_mode == MediaStreamMode.Mse)
                {
                    var header = new MediaFrameHeader(MediaFrameKind.AudioInitSegment, false, 0, 0, 0, 0, UnixMicroseconds(_time.GetUtcNow()));
                    await _writer.WriteBinaryAsync(header, audio.InitSegment, cancellationToken);
                }

                _audioFormatSent = true;
                break;
            case MediaMessage.AudioFragment audioFragment when _audioFormatSent:
                await SendAudioFragmentAsync(audioFragment, cancellationToken);
                break;
            case MediaMessage.AudioSamples samples when _audioFormatSent:
                await SendAudioSamplesAsync(samples, cancellationToken);
                break;
            case MediaMessage.AudioEnded:
                await _writer.WriteTextAsync("{\"type\":\"audioEnded\"}"u8.ToArray(), cancellationToken);
                _audioFormatSent = false;
                break;
            case MediaMessage.Volume volume:
                await _writer.WriteTextAsync(VolumeMessage.Create(volume.Decibels).ToUtf8Json(), cancellationToken);
                break;
        }
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask SendFragmentAsync(MediaMessage.Fragment fragment, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var nowTicks = Stopwatch.GetTimestamp();
        var nowUs = UnixMicroseconds(now);
        var receivedUs = fragment.ReceivedAtTicks == 0
            ? 0
            : nowUs - (long)Stopwatch.GetElapsedTime(fragment.ReceivedAtTicks, nowTicks).TotalMicroseconds;
        var catchUp = _catchUpFragments > 0;
        var header = new MediaFrameHeader(
            MediaFrameKind.Media,
            fragment.IsKeyframe,
            fragment.SequenceNumber,
            VideoTimescale.ToMicroseconds(fragment.DecodeTime90k),
            _clock.ToUnixMicroseconds(fragment.SenderTimestampNs) ?? 0,
            receivedUs,
            nowUs,
            catchUp,
            IsBacklogEnd: _catchUpFragments == 1);
        var payload = _mode == MediaStreamMode.WebCodecs ? fragment.AccessUnit : fragment.Data;
        await _writer.WriteBinaryAsync(header, payload, cancellationToken);

        if (catchUp)
        {
            _catchUpFragments--;
        }
        else if (fragment.ReceivedAtTicks != 0)
        {
            var latency = Stopwatch.GetElapsedTime(fragment.ReceivedAtTicks).TotalMilliseconds;
            _metrics.RecordSend(latency, payload.Length + MediaFrameHeader.Length, _modeName);
            _receiverLatency.Add(latency);
        }
    }

    private ValueTask SendAudioFragmentAsync(MediaMessage.AudioFragment fragment, CancellationToken cancellationToken) =>
        SendAudioAsync(
            fragment.SequenceNumber, fragment.DecodeTimeMicroseconds, fragment.SenderTimestampNs, fragment.ReceivedAtTicks,
            _mode == MediaStreamMode.WebCodecs ? fragment.Frame : fragment.Data, cancellationToken);

    private ValueTask SendAudioSamplesAsync(MediaMessage.AudioSamples samples, CancellationToken cancellationToken) =>
        SendAudioAsync(samples.SequenceNumber, samples.DecodeTimeMicroseconds, samples.SenderTimestampNs, samples.ReceivedAtTicks, samples.Data, cancellationToken);

    /// <summary>One audio message (an AAC frame or fragment, or PCM samples) with its times in the media header.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask SendAudioAsync(
        uint sequenceNumber, long decodeTimeUs, long senderTimestampNs, long receivedAtTicks, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        var nowUs = UnixMicroseconds(_time.GetUtcNow());
        var receivedUs = receivedAtTicks == 0
            ? 0
            : nowUs - (long)Stopwatch.GetElapsedTime(receivedAtTicks).TotalMicroseconds;
        var header = new MediaFrameHeader(
            MediaFrameKind.AudioMedia,
            true,
            sequenceNumber,
            decodeTimeUs,
            _clock.ToUnixMicroseconds(senderTimestampNs) ?? 0,
            receivedUs,
            nowUs);
        await _writer.WriteBinaryAsync(header, payload, cancellationToken);
    }

    private async Task ReceiveUntilClosedAsync(CancellationToken stop, CancellationTokenSource connection)
    {
        var buffer = new byte[1024];
        try
        {
            while (!stop.IsCancellationRequested)
            {
                var result = await _socket.ReceiveAsync(buffer.AsMemory(), stop);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    if (_socket.State == WebSocketState.CloseReceived)
                    {
                        await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
                    }

                    break;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (WebSocketException)
        {
        }
        finally
        {
            await connection.CancelAsync();
        }
    }

    private async Task CloseAsync(WebSocketCloseStatus status, string reason)
    {
        if (_socket.State is not (WebSocketState.Open or WebSocketState.CloseReceived))
        {
            return;
        }

        try
        {
            using var timeout = new CancellationTokenSource(CloseOutputTimeout, _time);
            await _socket.CloseOutputAsync(status, reason, timeout.Token);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
            _socket.Abort();
        }
    }

    private static long UnixMicroseconds(DateTimeOffset time) => (time - DateTimeOffset.UnixEpoch).Ticks / 10;

    private static partial class Log
    {
        [LoggerMessage(EventId = 60, Level = LogLevel.Debug, Message = "Viewer {ViewerId} of session {SessionId}: stream ended ({Reason})")]
        public static partial void Ended(ILogger logger, string sessionId, long viewerId, string reason);

        [LoggerMessage(EventId = 61, Level = LogLevel.Warning, Message = "Viewer {ViewerId} of session {SessionId} accepted no data for {Seconds} s; disconnected")]
        public static partial void SendTimedOut(ILogger logger, string sessionId, long viewerId, double seconds);

        [LoggerMessage(EventId = 62, Level = LogLevel.Debug, Message = "Viewer {ViewerId} of session {SessionId} left: {Message}")]
        public static partial void ViewerGone(ILogger logger, string sessionId, long viewerId, string message);
    }
}
