using System.Buffers;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using Receiver.Core.Audio;
using Receiver.Core.Media;
using Receiver.Core.Rtp;

namespace Receiver.Web.WebRtc;

/// <summary>
/// The Opus side of a session's WebRTC ingest: one ffmpeg encodes the session's PCM (the audio transcoder's decoded
/// output) to Opus at 48 kHz in 20 ms frames and sends it as RTP to a loopback socket of this encoder (connected to
/// ffmpeg's source port, so it hears nothing else), which stamps
/// each packet with its time on the session's media timeline (<see cref="OpusTimeline"/>), holds it as the
/// <see cref="LipSyncPacer"/> says, and sends it to the mountpoint's audio port. It runs on loops of its own: frames
/// are handed over without waiting (<see cref="TryWrite"/>, the oldest dropped when the encoder falls a second
/// behind), so a slow or stalled encoder never delays the video. The PCM goes in as streaming Matroska, one Cluster
/// per sender frame, so ffmpeg has each frame the moment it is written: raw PCM would be read in blocks of 1024
/// samples (23 ms at 44.1 kHz), and Opus packets would leave in bursts behind them, which makes the browser's jitter
/// buffer hold the sound longer (docs/PERFORMANCE.md, WebRTC through Janus).
/// </summary>
public sealed class OpusRtpEncoder : IAsyncDisposable
{
    /// <summary>PCM frames waiting for the encoder at most (about a second of sound); older ones are dropped.</summary>
    public const int MaxQueuedFrames = 48;

    private readonly FfmpegProcess _process;
    private readonly IDisposable? _watch;
    private readonly Socket _socket;
    private readonly IRtpPacketSink _sink;
    private readonly RtpPacketizer _rtp;
    private readonly uint _timestampOffset;
    private readonly LipSyncPacer _pacer;
    private readonly TimeProvider _time;
    private readonly OpusTimeline _timeline;
    private readonly int _channels;
    private readonly AudioFormat _pcm;
    private readonly Channel<MediaMessage.AudioSamples> _frames;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _writing;
    private readonly Task _relaying;
    private long _dropped;
    private long _packets;
    private long _lag;
    private readonly SendLag _sent = new();

    private OpusRtpEncoder(FfmpegProcess process, IDisposable? watch, Socket socket, AudioFormat pcm, IRtpPacketSink sink, RtpPacketizer rtp, uint timestampOffset, LipSyncPacer pacer, TimeProvider time)
    {
        _process = process;
        _watch = watch;
        _socket = socket;
        _sink = sink;
        _rtp = rtp;
        _timestampOffset = timestampOffset;
        _pacer = pacer;
        _time = time;
        _timeline = new OpusTimeline(pcm.SampleRate);
        _channels = Math.Max(1, pcm.Channels);
        _pcm = pcm;
        _frames = Channel.CreateBounded<MediaMessage.AudioSamples>(
            new BoundedChannelOptions(MaxQueuedFrames) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true, SingleWriter = true },
            _ => Interlocked.Increment(ref _dropped));
        _writing = Task.Run(() => WriteAsync(_stop.Token));
        _relaying = Task.Run(() => RelayAsync(_stop.Token));
    }

    /// <summary>The ffmpeg's last error line (why it stopped).</summary>
    public string LastError => _process.LastError;

    /// <summary>Ends when ffmpeg no longer takes sound (it stopped or was stopped).</summary>
    public Task Completion => _writing;

    /// <summary>PCM frames dropped because the encoder was a second behind.</summary>
    public long DroppedFrames => Interlocked.Read(ref _dropped);

    /// <summary>Opus RTP packets sent to the mountpoint.</summary>
    public long Packets => Interlocked.Read(ref _packets);

    /// <summary>The lag of the last packet out of the encoder behind its media time (µs, on the pacer's origin).</summary>
    public long LagMicroseconds => Volatile.Read(ref _lag);

    /// <summary>How long after their media time packets leave, the median of the last packets (µs, on the pacer's origin), or null before the first.</summary>
    public double? SendLagMicroseconds => _sent.Median;

    /// <summary>
    /// The ffmpeg arguments for PCM in the given format to Opus RTP at <paramref name="destination"/>, sent from the
    /// local ports <paramref name="sourcePort"/> (RTP) and <paramref name="rtcpSourcePort"/> (its RTCP).
    /// </summary>
    public static IReadOnlyList<string> Arguments(AudioFormat pcm, IPEndPoint destination, int bitrate, int sourcePort, int rtcpSourcePort)
    {
        ArgumentNullException.ThrowIfNull(pcm);
        ArgumentNullException.ThrowIfNull(destination);
        var host = destination.Address.ToString();
        if (destination.Address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            host = $"[{host}]";
        }

        return
        [
            "-hide_banner", "-loglevel", "error", "-nostats",
            "-probesize", "32", "-analyzeduration", "0", "-flags", "+low_delay",
            "-f", "matroska", "-i", "pipe:0",
            "-c:a", "libopus", "-b:a", bitrate.ToString(CultureInfo.InvariantCulture), "-application", "lowdelay",
            "-frame_duration", "20", "-ar", "48000", "-ac", "2",
            "-payload_type", JanusStreamingClient.AudioPayloadType.ToString(CultureInfo.InvariantCulture),
            "-flush_packets", "1", "-f", "rtp",
            string.Create(CultureInfo.InvariantCulture, $"rtp://{host}:{destination.Port}?pkt_size=1200&localrtpport={sourcePort}&localrtcpport={rtcpSourcePort}"),
        ];
    }

    /// <summary>
    /// Starts the encoder for PCM in <paramref name="pcm"/>'s format; its packets go to <paramref name="sink"/> with
    /// <paramref name="rtp"/>'s header (payload type, SSRC, sequence numbers) and the RTP timestamp
    /// <paramref name="timestampOffset"/> + media time at 48 kHz.
    /// </summary>
    public static OpusRtpEncoder Start(JanusIngestSettings settings, AudioFormat pcm, IRtpPacketSink sink, RtpPacketizer rtp, uint timestampOffset, LipSyncPacer pacer)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(pcm);
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            // The socket takes datagrams from ffmpeg's RTP port only: no other local process can put sound into the stream.
            var source = JanusIngestSettings.FreeUdpPorts(IPAddress.Loopback, 2);
            socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            socket.Connect(new IPEndPoint(IPAddress.Loopback, source[0]));
            var process = FfmpegProcess.Start(settings.FfmpegPath, Arguments(pcm, (IPEndPoint)socket.LocalEndPoint!, settings.OpusBitrate, source[0], source[1]), settings.Limits);
            return new OpusRtpEncoder(process, settings.Watchdog?.Watch(process, "webrtc opus"), socket, pcm, sink, rtp, timestampOffset, pacer, settings.Time);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Hands one PCM frame to the encoder without waiting; false once the encoder has stopped.</summary>
    public bool TryWrite(MediaMessage.AudioSamples samples) => !_writing.IsCompleted && _frames.Writer.TryWrite(samples);

    public async ValueTask DisposeAsync()
    {
        _frames.Writer.TryComplete();
        await _stop.CancelAsync();
        _watch?.Dispose();
        _process.Dispose();
        _socket.Dispose();
        await Task.WhenAll(_writing, _relaying).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stop.Dispose();
    }

    // PCM frames → ffmpeg, each recorded on the timeline first.
    private async Task WriteAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _process.Input.WriteAsync(
                MatroskaAudioStream.CreateHeader("A_PCM/INT/LIT", [], _pcm.SampleRate, _pcm.Channels, bitDepth: 16), cancellationToken);
            long samplesWritten = 0;
            await foreach (var samples in _frames.Reader.ReadAllAsync(cancellationToken))
            {
                var count = SamplesIn(samples);
                _timeline.Add(samples.DecodeTime * _pcm.SampleRate / samples.SampleRate, count);
                var length = MatroskaAudioStream.GetFrameLength(samples.Data.Length);
                var cluster = ArrayPool<byte>.Shared.Rent(length);
                try
                {
                    MatroskaAudioStream.WriteFrame(cluster, (ulong)(samplesWritten * 1000 / _pcm.SampleRate), samples.Data.Span);
                    samplesWritten += count;
                    await _process.Input.WriteAsync(cluster.AsMemory(0, length), cancellationToken);
                    await _process.Input.FlushAsync(cancellationToken);
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(cluster);
                }
            }
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or OperationCanceledException)
        {
        }
    }

    // ffmpeg's RTP → media-timeline timestamps → held for lip sync → the mountpoint.
    private async Task RelayAsync(CancellationToken cancellationToken)
    {
        var buffer = new byte[2048];
        var output = new byte[2048];
        var clock = new OpusPacketClock();
        try
        {
            while (true)
            {
                var length = await _socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken);
                if (!RtpHeader.TryParse(buffer.AsSpan(0, length), out var header))
                {
                    continue;
                }

                if (_timeline.MediaTicksOf(clock.PositionOf(header.Timestamp)) is not { } ticks)
                {
                    continue;
                }

                var mediaUs = OpusTimeline.ToMicroseconds(ticks);

                var now = JanusIngestSettings.NowMicroseconds(_time);
                Volatile.Write(ref _lag, now - mediaUs);
                var hold = _pacer.Hold(LipSyncPacer.Audio, mediaUs, now);
                if (hold > TimeSpan.Zero)
                {
                    await Task.Delay(hold, _time, cancellationToken);
                }

                var payload = buffer.AsSpan(header.PayloadOffset, length - header.PayloadOffset);
                var timestamp = unchecked(_timestampOffset + (uint)ticks);
                var written = _rtp.WriteHeader(output, timestamp, header.Marker);
                payload.CopyTo(output.AsSpan(written));
                _sink.Send(output.AsSpan(0, written + payload.Length));
                _sent.Add(JanusIngestSettings.NowMicroseconds(_time) - mediaUs);
                Interlocked.Increment(ref _packets);
            }
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException or OperationCanceledException)
        {
        }
    }

    // Interleaved 16-bit samples: bytes per sample frame = 2 × channels.
    private int SamplesIn(MediaMessage.AudioSamples samples) => samples.Data.Length / (2 * _channels);
}
