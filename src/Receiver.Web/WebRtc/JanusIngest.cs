using System.Net;
using System.Security.Cryptography;
using Receiver.Core.Media;
using Receiver.Core.Rtp;
using Receiver.Core.Sessions;

namespace Receiver.Web.WebRtc;

/// <summary>
/// Sends one mirroring session to Janus: a viewer of the session's <see cref="MediaChannel"/> (PCM sound) whose H.264
/// access units go out as RTP (<see cref="H264RtpPacketizer"/>, the session's 90 kHz media timeline plus a random
/// offset) and whose PCM becomes Opus RTP (<see cref="OpusRtpEncoder"/>), into a streaming mountpoint created for
/// the session when its first H.264 format arrives and destroyed when the session ends.
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
    private readonly uint _timestampOffset = BitConverter.ToUInt32(RandomNumberGenerator.GetBytes(4));
    private readonly uint _videoSsrc = BitConverter.ToUInt32(RandomNumberGenerator.GetBytes(4));
    private readonly uint _audioSsrc = (uint)RandomNumberGenerator.GetInt32(1, int.MaxValue); // ffmpeg takes the SSRC as a signed int
    private readonly Task _run;
    private JanusMountpoint? _mountpoint;
    private H264RtpPacketizer? _packetizer;
    private UdpRtpSink? _videoSink;
    private OpusRtpEncoder? _opus;
    private AudioFormat? _pcm;
    private int _nalLengthSize = 4;
    private bool _h264;

    public JanusIngest(MirroringSession session, JanusStreamingClient janus, IPAddress rtpHost, JanusIngestSettings settings, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(session);
        _session = session;
        _janus = janus;
        _rtpHost = rtpHost;
        _settings = settings;
        _logger = logger;
        _viewer = session.Media.Subscribe(AudioDelivery.Pcm);
        _run = Task.Run(() => RunAsync(_stop.Token));
    }

    /// <summary>The session's mountpoint once Janus has made it.</summary>
    public JanusMountpoint? Mountpoint => Volatile.Read(ref _mountpoint);

    /// <summary>The ingest's end (the session's end, or Janus refusing the mountpoint).</summary>
    public Task Completion => _run;

    /// <summary>RTP packets of video sent so far.</summary>
    public long VideoPackets => _packetizer?.Packets ?? 0;

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
                try
                {
                    switch (message)
                    {
                        case MediaMessage.FormatChanged changed:
                            await OnFormatAsync(changed.Format, cancellationToken);
                            break;
                        case MediaMessage.Fragment fragment when _h264 && _packetizer is not null && _videoSink is not null:
                            _packetizer.Packetize(fragment.AccessUnit.Span, _nalLengthSize, unchecked(_timestampOffset + (uint)fragment.PresentationTime90k), _videoSink);
                            break;
                        case MediaMessage.AudioFormatChanged audio when audio.Format.IsPcm:
                            _pcm = audio.Format;
                            StartOpus();
                            break;
                        case MediaMessage.AudioSamples samples when _opus is not null:
                            if (!await _opus.WriteAsync(samples.Data, cancellationToken))
                            {
                                LogOpusStopped(_logger, id, _opus.LastError);
                                _opus.Dispose();
                                _opus = null;
                            }

                            break;
                        case MediaMessage.AudioEnded:
                            _pcm = null;
                            _opus?.Dispose();
                            _opus = null;
                            break;
                        case MediaMessage.Ended:
                            return;
                    }
                }
                finally
                {
                    // The packetizer and the Opus pipe have copied what they need.
                    message.Release();
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
            _opus?.Dispose();
            _videoSink?.Dispose();
            await DestroyMountpointAsync(id);
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

        _nalLengthSize = AvcConfiguration.Parse(format.DecoderConfiguration.Span).NalLengthSize;
        _packetizer ??= new H264RtpPacketizer(new RtpPacketizer(JanusStreamingClient.VideoPayloadType, _videoSsrc, (ushort)RandomNumberGenerator.GetInt32(ushort.MaxValue + 1)), _settings.MaxPayloadBytes);
        _packetizer.SetParameterSets(format.ParameterSets);
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
        if (_opus is not null || _pcm is null || _mountpoint is not { } mountpoint)
        {
            return;
        }

        try
        {
            _opus = OpusRtpEncoder.Start(_settings.FfmpegPath, _pcm, new IPEndPoint(_rtpHost, mountpoint.AudioPort), _settings.OpusBitrate, _audioSsrc, _settings.Limits, _settings.Watchdog);
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            LogOpusStopped(_logger, SessionLogId.Of(_session.Id), ex.Message);
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
}
