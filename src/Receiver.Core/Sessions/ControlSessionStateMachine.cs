using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.Extensions.Logging;
using Receiver.Core.Audio;
using Receiver.Core.Control;
using Receiver.Core.Crypto;
using Receiver.Core.Diagnostics;
using Receiver.Core.Plist;
using Receiver.Core.Rtsp;

namespace Receiver.Core.Sessions;

/// <summary>
/// The session requests of one control connection over typed requests: which is valid in which state, what it answers
/// and what it starts or stops. The session SETUP needs FairPlay (and pair-verify when the receiver requires pairing)
/// and starts the mirroring session with its timing client; stream SETUPs, volume, RECORD, FLUSH and TEARDOWN need the
/// session. A request is checked and read completely before anything is started, so a refused request changes nothing.
/// Sockets are opened through <see cref="IStreamEndpoints"/>; time comes from the registry's <see cref="TimeProvider"/>.
/// </summary>
internal sealed class ControlSessionStateMachine(
    ReceiverSettings settings,
    SessionRegistry registry,
    IPEndPoint remote,
    ControlPairing pairing,
    ControlFairPlay fairPlay,
    IStreamEndpoints endpoints,
    ILogger logger,
    ProtocolCapture? capture = null)
{
    private const string BinaryPlistType = "application/x-apple-binary-plist";

    private byte[]? _sessionKey;
    private byte[]? _audioIv;
    private ITimingEndpoint? _timing;
    private IAudioEndpoint? _audio;
    private bool _videoSetUp;

    /// <summary>The mirroring session started by the session SETUP, if any (kept after it ends).</summary>
    public MirroringSession? Session { get; private set; }

    public ControlSessionPhase Phase => Session switch
    {
        null => ControlSessionPhase.AwaitingSetup,
        { HasEnded: true } => ControlSessionPhase.Ended,
        _ => ControlSessionPhase.SetUp,
    };

    public ITimingEndpoint? Timing => _timing;

    public IAudioEndpoint? Audio => _audio;

    public bool IsVideoSetUp => _videoSetUp;

    public bool IsRecording { get; private set; }

    /// <summary>True once the sender set up the remote-control channel only (no mirroring session).</summary>
    public bool IsRemoteControlOnly { get; private set; }

    /// <summary>
    /// A SETUP with <c>isRemoteControlOnly</c>: the AirPlay 2 remote-control channel, which carries no picture and no
    /// sound. It is accepted (200, <c>eventPort</c> 0: no event channel is served) without starting a session, so
    /// nothing appears in the session list or on a viewer; the operator is told. 455 on a connection that already
    /// has a mirroring session.
    /// </summary>
    public RtspResponse SetupRemoteControl(RtspHeaders headers)
    {
        if (Session is not null)
        {
            throw new SessionStateException(RtspStatus.MethodNotValidInThisState, "a remote-control SETUP on a connection with a mirroring session");
        }

        IsRemoteControlOnly = true;
        Notice(SenderNoticeKind.RemoteControlOnly, headers, "remote control only: the sender set up the AirPlay 2 remote-control channel, which has nothing to show; accepted without a mirroring session");
        var reply = new PlistDict { ["eventPort"] = 0, ["timingPort"] = 0 };
        return RtspResponse.WithBody(BinaryPlist.Write(reply), BinaryPlistType);
    }

    /// <summary>Logs one line and tells the operator (a <see cref="SenderNoticeEvent"/>) what was declined and why.</summary>
    public void Notice(SenderNoticeKind kind, RtspHeaders headers, string detail)
    {
        ArgumentNullException.ThrowIfNull(headers);
        var deviceId = headers["X-Apple-Device-ID"] is { } id ? Access.SenderText.Show(id) : null;
        ControlSessionLog.Declined(logger, remote, kind, detail);
        registry.Publish(new SenderNoticeEvent(Session?.Id ?? string.Empty, registry.Time.GetUtcNow(), kind, remote.ToString(), deviceId, detail));
    }

    /// <summary>
    /// SETUP: 470 before pair-verify when pairing is required, 455 before fp-setup, for a second session SETUP or for
    /// streams before the session; 453 when the receiver already runs <see cref="SessionRegistry.MaxSessions"/>
    /// sessions; 400 for a malformed part or more than one audio stream; 415 (and close) for an unsupported stream type.
    /// A new audio stream replaces the session's previous one.
    /// </summary>
    public RtspResponse Setup(SetupRequest request, RtspHeaders headers)
    {
        SetupSessionRequest? keys = null;
        byte[]? sessionKey = null;
        if (request.SessionPart is { } sessionPart)
        {
            CheckSessionSetupAllowed();
            keys = SetupSessionRequest.Parse(sessionPart);
            var fairPlayKey = fairPlay.DecryptKey(keys.EncryptedKey.Span);
            sessionKey = SessionKeys.DeriveSessionKey(fairPlayKey, pairing.SharedSecret.Span, pairing.HasPaired);
        }

        var streams = new List<SetupStreamRequest>(request.StreamParts.Count);
        if (request.StreamParts.Count > 0)
        {
            if (Session is null && keys is null)
            {
                throw new SessionStateException(RtspStatus.MethodNotValidInThisState, "SETUP of a stream before the session SETUP");
            }

            if (keys is null && Session is { HasEnded: true })
            {
                throw new SessionStateException(RtspStatus.MethodNotValidInThisState, "SETUP of a stream after the session ended");
            }

            streams.AddRange(request.StreamParts.Select(SetupStreamRequest.Parse));
            if (streams.OfType<UnsupportedStreamRequest>().FirstOrDefault() is { } unsupported)
            {
                throw new SessionStateException(RtspStatus.UnsupportedMediaType, $"stream type {unsupported.Type} is not supported", close: true);
            }

            // One audio stream per session, so one transcoder: a SETUP that lists several is refused whole.
            if (streams.OfType<AudioStreamRequest>().Count() > 1)
            {
                throw new ControlRequestException(RtspStatus.BadRequest, "a SETUP may set up one audio stream; this one lists several");
            }
        }

        var reply = new PlistDict();
        if (keys is not null)
        {
            StartSession(keys, sessionKey!, headers, reply);
        }

        if (request.StreamParts.Count > 0)
        {
            reply["streams"] = new PlistArray([.. streams.Select(SetupStream)]);
        }

        return RtspResponse.WithBody(BinaryPlist.Write(reply), BinaryPlistType);
    }

    /// <summary>GET_PARAMETER volume: the session's volume, or the receiver's initial volume before the session.</summary>
    public RtspResponse GetParameter(GetParameterRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var volume = Session?.VolumeDb ?? settings.InitialVolume;
        var body = Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"volume: {volume:F6}\r\n"));
        return RtspResponse.WithBody(body, GetParameterRequest.ParametersType);
    }

    /// <summary>SET_PARAMETER: a volume needs the session (455 before it) and is published to its viewers.</summary>
    public RtspResponse SetParameter(SetParameterRequest request)
    {
        if (request.Volume is { } volume)
        {
            var session = RequireSession("SET_PARAMETER volume");
            session.SetVolume(volume);
            session.Media.PublishVolume(volume);
            registry.Publish(new VolumeChangedEvent(session.Id, registry.Time.GetUtcNow(), volume));
        }

        return RtspResponse.Ok();
    }

    /// <summary>RECORD: the sender starts sending; answered with the receiver's audio latency.</summary>
    public RtspResponse Record()
    {
        RequireSession("RECORD");
        IsRecording = true;
        var response = RtspResponse.Ok();
        response.Headers.Add("Audio-Latency", settings.AudioLatencySamples.ToString(CultureInfo.InvariantCulture));
        return response;
    }

    /// <summary>FLUSH: accepted while the session lives.</summary>
    public RtspResponse Flush()
    {
        RequireSession("FLUSH");
        return RtspResponse.Ok();
    }

    /// <summary>
    /// TEARDOWN (455 before the session): without streams it ends the session; otherwise it stops the listed audio
    /// and video streams and the session goes on. Every answer carries <c>Connection: close</c>.
    /// </summary>
    public async ValueTask<RtspResponse> TeardownAsync(ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        if (Session is null && IsRemoteControlOnly)
        {
            // The remote-control channel ends: nothing was started, so nothing stops.
            var closing = RtspResponse.Ok();
            closing.Headers.Add("Connection", "close");
            return closing;
        }

        // A TEARDOWN repeated after the session ended is answered as the first one was.
        var session = Session ?? throw new SessionStateException(RtspStatus.MethodNotValidInThisState, "TEARDOWN before the session SETUP");
        var request = TeardownRequest.Parse(body.Span);
        var response = RtspResponse.Ok();
        response.Headers.Add("Connection", "close");
        if (request.EndsSession)
        {
            await EndAsync(SessionEndReason.Teardown).ConfigureAwait(false);
            return response;
        }

        if (request.Includes(SetupStreamRequest.AudioType) && _audio is not null)
        {
            _audio.Dispose();
            _audio = null;
            session.Media.EndAudio();
            session.SetAudioActive(false);
            registry.Publish(new StreamEndedEvent(session.Id, registry.Time.GetUtcNow(), StreamKind.Audio));
        }

        if (request.Includes(SetupStreamRequest.VideoType) && _videoSetUp)
        {
            // A data connection that is still being recognised may claim the stream and drain what was sent before
            // the TEARDOWN; the stream's entry goes when the session ends or a new video stream is set up.
            _videoSetUp = false;
            session.SetVideoActive(false);
            session.StopVideo();
            registry.Publish(new StreamEndedEvent(session.Id, registry.Time.GetUtcNow(), StreamKind.Video));
        }

        cancellationToken.ThrowIfCancellationRequested();
        return response;
    }

    /// <summary>Closes the endpoints and ends the session with <paramref name="reason"/> unless it already ended.</summary>
    public async ValueTask EndAsync(SessionEndReason reason)
    {
        try
        {
            _audio?.Dispose();
            _audio = null;
            if (_timing is not null)
            {
                var timing = _timing;
                _timing = null;
                await timing.DisposeAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            // Whatever stopping the streams ran into, the session leaves the registry.
            if (Session is not null && registry.End(Session, reason))
            {
                ControlSessionLog.SessionEnded(logger, SessionLogId.Of(Session.Id), reason);
            }
        }
    }

    private void CheckSessionSetupAllowed()
    {
        if (Session is not null)
        {
            throw new SessionStateException(RtspStatus.MethodNotValidInThisState, "the session is already set up on this connection");
        }

        if (settings.PairingRequired && !pairing.IsVerified)
        {
            throw new SessionStateException(RtspStatus.ClientAuthenticationFailure, "SETUP before pairing; this receiver requires pair-verify");
        }

        if (!fairPlay.IsComplete)
        {
            throw new SessionStateException(RtspStatus.MethodNotValidInThisState, "SETUP before fp-setup");
        }

        ThrowIfFull();
    }

    /// <summary>Refuses a session SETUP with 453 while the receiver runs as many sessions as it takes.</summary>
    public void ThrowIfFull()
    {
        if (registry.IsFull)
        {
            registry.CountRefusal();
            throw Busy();
        }
    }

    /// <summary>The refusal of a session SETUP while the receiver runs as many sessions as it takes.</summary>
    private SessionStateException Busy() =>
        new(RtspStatus.NotEnoughBandwidth, $"the receiver is busy: {registry.MaxSessions} of {registry.MaxSessions} sessions in use");

    private void StartSession(SetupSessionRequest keys, byte[] sessionKey, RtspHeaders headers, PlistDict reply)
    {
        _sessionKey = sessionKey;
        _audioIv = keys.Iv.ToArray();
        var sender = new SenderInfo(
            keys.DeviceId ?? headers["X-Apple-Device-ID"],
            keys.Name ?? headers["X-Apple-Client-Name"],
            keys.Model,
            keys.OsName,
            keys.OsVersion,
            keys.SourceVersion,
            remote.Address.ToString());

        if (!registry.TryStart(sender, "airplay", remote.Address, out var session))
        {
            throw Busy();
        }

        Session = session;
        if (capture is not null)
        {
            // Attached before any stream opens, so every packet header of the session reaches the capture.
            session.Capture = capture;
            capture.Attach(session.Id);
        }

        if (keys.WantsPtp)
        {
            // No PTP clock here: like open receivers, the session goes on without a clock exchange, and pictures are
            // timed by their arrival (SenderClock's fallback for senders that never answer NTP).
            Notice(SenderNoticeKind.PtpTiming, headers, "PTP timing: the sender asked for timingProtocol PTP, which is not served; the session runs without a clock exchange, timed by arrival");
        }
        else if (keys.TimingPort != 0)
        {
            _timing = endpoints.StartTiming(new IPEndPoint(remote.Address, keys.TimingPort), session);
        }

        session.SetVolume(settings.InitialVolume);
        ControlSessionLog.SessionId(logger, SessionLogId.Of(session.Id), session.Id);
        ControlSessionLog.SessionStarted(logger, SessionLogId.Of(session.Id), sender.Name ?? "?", sender.Model ?? "?", remote);

        reply["eventPort"] = 0;
        reply["timingPort"] = _timing?.LocalPort ?? 0;
    }

    private PlistDict SetupStream(SetupStreamRequest stream)
    {
        var session = Session!;
        switch (stream)
        {
            case VideoStreamRequest video:
            {
                var (key, iv) = SessionKeys.DeriveMirrorKeys(_sessionKey!, video.StreamConnectionId);
                registry.ExpectMirrorConnection(new PendingMirrorStream(session, video.StreamConnectionId, key, iv));
                _videoSetUp = true;
                session.SetVideoActive(true);
                registry.Publish(new StreamStartedEvent(session.Id, registry.Time.GetUtcNow(), StreamKind.Video, null, 0, 0));
                return new PlistDict { ["type"] = video.Type, ["dataPort"] = settings.MirrorPort };
            }

            case AudioStreamRequest audio:
            {
                var parameters = new AudioStreamParameters(audio.CompressionType, audio.SamplesPerFrame, audio.SenderControlPort, _sessionKey!, _audioIv!);
                _audio?.Dispose();
                _audio = null;
                _audio = endpoints.OpenAudio(remote.Address, parameters, session);
                session.SetAudioActive(true);
                registry.Publish(new StreamStartedEvent(session.Id, registry.Time.GetUtcNow(), StreamKind.Audio, AudioStreamParameters.CodecName(audio.CompressionType), 0, 0));
                return new PlistDict { ["type"] = audio.Type, ["dataPort"] = _audio.DataPort, ["controlPort"] = _audio.ControlPort };
            }

            default:
                throw new SessionStateException(RtspStatus.UnsupportedMediaType, $"stream type {stream.Type} is not supported", close: true);
        }
    }

    private MirroringSession RequireSession(string what) => Session switch
    {
        null => throw new SessionStateException(RtspStatus.MethodNotValidInThisState, $"{what} before the session SETUP"),
        { HasEnded: true } => throw new SessionStateException(RtspStatus.MethodNotValidInThisState, $"{what} after the session ended"),
        var session => session,
    };
}
