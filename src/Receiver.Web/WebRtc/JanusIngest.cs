using System.Net;
using System.Security.Cryptography;
using System.Threading.Channels;
using Receiver.Core.Media;
using Receiver.Core.Rtp;
using Receiver.Core.Sessions;

namespace Receiver.Web.WebRtc;

/// <summary>
/// Sends one mirroring session to Janus: a viewer of the session's <see cref="MediaChannel"/> (PCM sound) whose H.264
/// access units go out as RTP (<see cref="H264RtpPacketizer"/>, the session's 90 kHz media timeline plus a random
/// offset) and whose PCM becomes Opus RTP (<see cref="OpusRtpEncoder"/>, the same timeline at 48 kHz plus another
/// random offset), into a streaming mountpoint created for the session when its first H.264 format arrives and
/// destroyed when the session ends. Three loops: this viewer's messages, the video sender, and the Opus encoder's
/// own; a <see cref="LipSyncPacer"/> holds the early stream back so that Janus forwards both together.
/// </summary>
public sealed partial class JanusIngest : IAsyncDisposable
{
    private readonly MirroringSession _session;
    private readonly JanusStreamingClient _janus;
    private readonly IPAddress _rtpHost;
    private readonly JanusIngestSettings _settings;
    private readonly ILogger _logger;
    private readonly MediaViewer _viewer;
    private readonly CancellationTokenSource _stop = new();
    private readonly uint _videoSsrc = BitConverter.ToUInt32(RandomNumberGenerator.GetBytes(4));
    private readonly RtpPacketizer _audioRtp = new(JanusStreamingClient.AudioPayloadType, BitConverter.ToUInt32(RandomNumberGenerator.GetBytes(4)), (ushort)RandomNumberGenerator.GetInt32(ushort.MaxValue + 1));
    private readonly Channel<VideoItem> _video = Channel.CreateBounded<VideoItem>(new BoundedChannelOptions(512) { SingleReader = true, SingleWriter = true });
    private readonly LipSyncPacer _pacer;
    private readonly Task _run;
    private readonly Task _sending;
    private JanusMountpoint? _mountpoint;
    private H264RtpPacketizer? _packetizer;
    private UdpRtpSink? _videoSink;
    private UdpRtpSink? _audioSink;
    private OpusRtpEncoder? _opus;
    private AudioFormat? _pcm;
    private bool _h264;
    private long _videoLag;
    private readonly SendLag _videoSent = new();

    public JanusIngest(MirroringSession session, JanusStreamingClient janus, IPAddress rtpHost, JanusIngestSettings settings, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(settings);
        _session = session;
        _janus = janus;
        _rtpHost = rtpHost;
        _settings = settings;
        _logger = logger;
        _pacer = new LipSyncPacer(settings.LipSyncWindow, settings.LipSyncMaxHold);
        _viewer = session.Media.Subscribe(AudioDelivery.Pcm);
        _sending = Task.Run(() => SendVideoAsync(_stop.Token));
        _run = Task.Run(() => RunAsync(_stop.Token));
    }

    /// <summary>The session's mountpoint once Janus has made it.</summary>
    public JanusMountpoint? Mountpoint => Volatile.Read(ref _mountpoint);

    /// <summary>The ingest's end (the session's end, or Janus refusing the mountpoint).</summary>
    public Task Completion => _run;

    /// <summary>RTP packets of video sent so far.</summary>
    public long VideoPackets => Volatile.Read(ref _packetizer)?.Packets ?? 0;

    /// <summary>Opus RTP packets sent so far (by the current encoder).</summary>
    public long AudioPackets => Volatile.Read(ref _opus)?.Packets ?? 0;

    /// <summary>What the video RTP timestamp adds to the access unit's 90 kHz media time.</summary>
    public uint VideoTimestampOffset { get; } = BitConverter.ToUInt32(RandomNumberGenerator.GetBytes(4));

    /// <summary>What the audio RTP timestamp adds to the sound's media time at 48 kHz.</summary>
    public uint AudioTimestampOffset { get; } = BitConverter.ToUInt32(RandomNumberGenerator.GetBytes(4));

    /// <summary>The lag behind the media timeline both streams leave at now (µs on an arbitrary origin), or null until both have sent.</summary>
    public long? LipSyncLagMicroseconds => _pacer.TargetLagMicroseconds;

    /// <summary>The lag of the last access unit as it was ready to leave (µs, same origin as <see cref="LipSyncLagMicroseconds"/>).</summary>
    public long VideoLagMicroseconds => Volatile.Read(ref _videoLag);

    /// <summary>How long after their media time access units leave, the median of the last ones (µs, same origin), or null before the first.</summary>
    public double? VideoSendLagMicroseconds => _videoSent.Median;

    /// <summary>How long after their media time Opus packets leave, the median of the last ones (µs, same origin), or null without sound.</summary>
    public double? AudioSendLagMicroseconds => Volatile.Read(ref _opus)?.SendLagMicroseconds;

    /// <summary>The lag of the last Opus packet as it came out of the encoder (µs, same origin), or 0 without sound.</summary>
    public long AudioLagMicroseconds => Volatile.Read(ref _opus)?.LagMicroseconds ?? 0;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _viewer.Dispose();
        await _run.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stop.Dispose();
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        var id = SessionLogId.Of(_session.Id);
        try
        {
            await foreach (var message in _viewer.Reader.ReadAllAsync(cancellationToken))
            {
                // A fragment handed to the video sender is released there; everything else once handled here.
                var handedOver = false;
                try
                {
                    switch (message)
                    {
                        case MediaMessage.FormatChanged changed:
                            await OnFormatAsync(changed.Format, cancellationToken);
                            break;
                        case MediaMessage.Fragment fragment when _h264 && _videoSink is not null:
                            await _video.Writer.WriteAsync(new VideoItem(fragment, null, 0), cancellationToken);
                            handedOver = true;
                            break;
                        case MediaMessage.AudioFormatChanged audio when audio.Format.IsPcm:
                            await StopOpusAsync();
                            _pcm = audio.Format;
                            StartOpus();
                            break;
                        case MediaMessage.AudioSamples samples when _opus is not null:
                            if (!_opus.TryWrite(samples) && _opus.Completion.IsCompleted)
                            {
                                LogOpusStopped(_logger, id, _opus.LastError);
                                await StopOpusAsync();
                            }

                            break;
                        case MediaMessage.AudioEnded:
                            _pcm = null;
                            await StopOpusAsync();
                            break;
                        case MediaMessage.Ended:
                            return;
                    }
                }
                finally
                {
                    if (!handedOver)
                    {
                        message.Release();
                    }
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (JanusException ex)
        {
            LogJanusFailed(_logger, id, ex.Message);
        }
        catch (MediaFormatException ex)
        {
            LogBadAccessUnit(_logger, id, ex.Message);
        }
        finally
        {
            _viewer.Dispose();
            _video.Writer.TryComplete();
            await StopOpusAsync();
            await _sending.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            _videoSink?.Dispose();
            _audioSink?.Dispose();
            await DestroyMountpointAsync(id);
        }
    }

    // The video sender: each access unit leaves when the pacer lets it, as RTP to the mountpoint's video port.
    private async Task SendVideoAsync(CancellationToken cancellationToken)
    {
        var id = SessionLogId.Of(_session.Id);
        var nalLengthSize = 4;
        try
        {
            await foreach (var item in _video.Reader.ReadAllAsync(cancellationToken))
            {
                if (item.ParameterSets is { } parameterSets)
                {
                    _packetizer!.SetParameterSets(parameterSets);
                    nalLengthSize = item.NalLengthSize;
                    continue;
                }

                var fragment = item.Fragment!;
                try
                {
                    var mediaUs = VideoTimescale.ToMicroseconds(fragment.DecodeTime90k);
                    var now = JanusIngestSettings.NowMicroseconds(_settings.Time);
                    Volatile.Write(ref _videoLag, now - mediaUs);
                    var hold = _pacer.Hold(LipSyncPacer.Video, mediaUs, now);
                    if (hold > TimeSpan.Zero)
                    {
                        await Task.Delay(hold, _settings.Time, cancellationToken);
                    }

                    _packetizer!.Packetize(fragment.AccessUnit.Span, nalLengthSize, unchecked(VideoTimestampOffset + (uint)fragment.DecodeTime90k), _videoSink!);
                    _videoSent.Add(JanusIngestSettings.NowMicroseconds(_settings.Time) - mediaUs);
                }
                finally
                {
                    // The packetizer has copied what it needs: the pooled buffer can go back.
                    fragment.Release();
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (MediaFormatException ex)
        {
            LogBadAccessUnit(_logger, id, ex.Message);
            await _stop.CancelAsync();
        }
        finally
        {
            // Fragments still queued when the sender stops go back to their pool.
            while (_video.Reader.TryRead(out var left))
            {
                left.Fragment?.Release();
            }
        }
    }

    private async Task OnFormatAsync(VideoFormat format, CancellationToken cancellationToken)
    {
        _h264 = format.Codec == VideoCodec.H264;
        if (!_h264)
        {
            LogNotH264(_logger, SessionLogId.Of(_session.Id), format.Codec.ToString());
            return;
        }

        var nalLengthSize = AvcConfiguration.Parse(format.DecoderConfiguration.Span).NalLengthSize;
        if (_packetizer is null)
        {
            Volatile.Write(ref _packetizer, new H264RtpPacketizer(new RtpPacketizer(JanusStreamingClient.VideoPayloadType, _videoSsrc, (ushort)RandomNumberGenerator.GetInt32(ushort.MaxValue + 1)), _settings.MaxPayloadBytes));
        }

        await _video.Writer.WriteAsync(new VideoItem(null, [.. format.ParameterSets], nalLengthSize), cancellationToken);
        if (_mountpoint is not null)
        {
            return;
        }

        var ports = JanusIngestSettings.FreeUdpPorts(_rtpHost, 2);
        var handle = await _janus.AttachAsync(cancellationToken);
        try
        {
            var profileLevelId = ProfileLevelId(format);
            var mountpoint = await _janus.CreateMountpointAsync(handle, NewMountpointId(), $"AirPlay {_session.Id}", profileLevelId, _rtpHost.ToString(), ports[0], ports[1], cancellationToken);
            _videoSink = new UdpRtpSink(new IPEndPoint(_rtpHost, mountpoint.VideoPort));
            _audioSink = new UdpRtpSink(new IPEndPoint(_rtpHost, mountpoint.AudioPort));
            Volatile.Write(ref _mountpoint, mountpoint);
            LogMountpointCreated(_logger, SessionLogId.Of(_session.Id), mountpoint.Id, mountpoint.VideoPort, mountpoint.AudioPort, profileLevelId);
        }
        finally
        {
            await _janus.DestroyAsync(handle, CancellationToken.None).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        StartOpus();
    }

    private void StartOpus()
    {
        if (_opus is not null || _pcm is null || _audioSink is null)
        {
            return;
        }

        try
        {
            Volatile.Write(ref _opus, OpusRtpEncoder.Start(_settings, _pcm, _audioSink, _audioRtp, AudioTimestampOffset, _pacer));
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or InvalidOperationException or System.Net.Sockets.SocketException)
        {
            LogOpusStopped(_logger, SessionLogId.Of(_session.Id), ex.Message);
        }
    }

    private async Task StopOpusAsync()
    {
        if (Interlocked.Exchange(ref _opus, null) is { } opus)
        {
            await opus.DisposeAsync();
        }
    }

    private async Task DestroyMountpointAsync(string id)
    {
        if (Interlocked.Exchange(ref _mountpoint, null) is not { } mountpoint)
        {
            return;
        }

        try
        {
            var handle = await _janus.AttachAsync(CancellationToken.None);
            try
            {
                await _janus.DestroyMountpointAsync(handle, mountpoint.Id, CancellationToken.None);
                LogMountpointDestroyed(_logger, id, mountpoint.Id);
            }
            finally
            {
                await _janus.DestroyAsync(handle, CancellationToken.None).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
        catch (JanusException ex)
        {
            LogJanusFailed(_logger, id, ex.Message);
        }
    }

    /// <summary>The SDP <c>profile-level-id</c> (RFC 6184 §8.1) of an H.264 format: profile_idc, constraint flags and level_idc of its SPS as hex.</summary>
    public static string ProfileLevelId(VideoFormat format)
    {
        ArgumentNullException.ThrowIfNull(format);
        var sps = format.ParameterSets.FirstOrDefault(p => p.Length >= 4 && (p.Span[0] & 0x1F) == 7);
        if (sps.Length < 4)
        {
            throw new MediaFormatException("H.264 format without an SPS.");
        }

        return Convert.ToHexStringLower(sps.Span[1..4]);
    }

    private static long NewMountpointId() => RandomNumberGenerator.GetInt32(1, int.MaxValue);

    [LoggerMessage(EventId = 5200, Level = LogLevel.Information, Message = "Session {SessionId}: WebRTC mountpoint {MountpointId} in Janus (RTP video port {VideoPort}, audio port {AudioPort}, profile-level-id {ProfileLevelId})")]
    private static partial void LogMountpointCreated(ILogger logger, string sessionId, long mountpointId, int videoPort, int audioPort, string profileLevelId);

    [LoggerMessage(EventId = 5201, Level = LogLevel.Information, Message = "Session {SessionId}: WebRTC mountpoint {MountpointId} destroyed")]
    private static partial void LogMountpointDestroyed(ILogger logger, string sessionId, long mountpointId);

    [LoggerMessage(EventId = 5202, Level = LogLevel.Warning, Message = "Session {SessionId}: Janus failed, no WebRTC for this session: {Reason}")]
    private static partial void LogJanusFailed(ILogger logger, string sessionId, string reason);

    [LoggerMessage(EventId = 5203, Level = LogLevel.Warning, Message = "Session {SessionId}: the Opus encoder for WebRTC stopped: {Reason}")]
    private static partial void LogOpusStopped(ILogger logger, string sessionId, string reason);

    [LoggerMessage(EventId = 5204, Level = LogLevel.Information, Message = "Session {SessionId}: {Codec} is not sent over WebRTC (H.264 only); viewers use the WebSocket players")]
    private static partial void LogNotH264(ILogger logger, string sessionId, string codec);

    [LoggerMessage(EventId = 5205, Level = LogLevel.Warning, Message = "Session {SessionId}: WebRTC ingest stopped on an unreadable access unit: {Reason}")]
    private static partial void LogBadAccessUnit(ILogger logger, string sessionId, string reason);

    // One item of the video sender's queue: an access unit, or the parameter sets (and NAL length size) of a new format.
    private readonly record struct VideoItem(MediaMessage.Fragment? Fragment, ReadOnlyMemory<byte>[]? ParameterSets, int NalLengthSize);
}
