using System.Net;
using Microsoft.Extensions.Logging;
using Receiver.Core.Access;
using Receiver.Core.Control;
using Receiver.Core.Diagnostics;
using Receiver.Core.FairPlay;
using Receiver.Core.Pairing;
using Receiver.Core.Plist;
using Receiver.Core.Rtsp;
using Receiver.Core.Timing;

namespace Receiver.Core.Sessions;

/// <summary>
/// The AirPlay control protocol for one control connection: <c>/info</c>, pairing, FairPlay, SETUP of the session
/// and its streams, volume, RECORD, FLUSH, feedback and TEARDOWN. Each request is routed by method and path, read into
/// its typed request and handed to the part that owns it: <see cref="ControlPairing"/>, <see cref="ControlFairPlay"/>
/// or the session's <see cref="ControlSessionStateMachine"/>. Requests out of order get a precise RTSP error.
/// </summary>
public sealed class AirPlayControlSession : IAsyncDisposable
{
    private const string BinaryPlistType = "application/x-apple-binary-plist";

    private readonly ReceiverSettings _settings;
    private readonly ILogger _logger;
    private readonly ControlPairing _pairing;
    private readonly ControlFairPlay _fairPlay = new();
    private readonly ControlSessionStateMachine _state;
    private readonly ControlAccess _access;
    private readonly IPEndPoint _remote;
    private readonly CastControl _cast;

    /// <summary>A control session whose timing client and audio streams use UDP sockets, open to every sender.</summary>
    public AirPlayControlSession(ReceiverSettings settings, PairingIdentity identity, SessionRegistry registry, IPEndPoint remote, ILoggerFactory loggerFactory)
        : this(settings, identity, registry, remote, loggerFactory, new UdpStreamEndpoints(registry.Time, loggerFactory))
    {
    }

    /// <summary>A control session that opens its timing client and audio streams through <paramref name="endpoints"/>, open to every sender.</summary>
    public AirPlayControlSession(ReceiverSettings settings, PairingIdentity identity, SessionRegistry registry, IPEndPoint remote, ILoggerFactory loggerFactory, IStreamEndpoints endpoints)
        : this(settings, identity, registry, remote, loggerFactory, endpoints, null)
    {
    }

    /// <summary>
    /// A control session that admits senders by <paramref name="access"/> (null: every sender), opens its timing
    /// client and audio streams through <paramref name="endpoints"/>, and hands <paramref name="capture"/> (when given)
    /// to the session it starts, so that the session's packet headers are recorded with its control exchange.
    /// </summary>
    public AirPlayControlSession(ReceiverSettings settings, PairingIdentity identity, SessionRegistry registry, IPEndPoint remote, ILoggerFactory loggerFactory, IStreamEndpoints endpoints, SenderAccessPolicy? access, ProtocolCapture? capture = null)
    {
        ArgumentNullException.ThrowIfNull(loggerFactory);
        _settings = settings;
        _remote = remote;
        _logger = loggerFactory.CreateLogger<AirPlayControlSession>();
        _pairing = new ControlPairing(identity, remote, _logger, access is null ? null : key => access.IsRemembered(key.Span));
        _access = new ControlAccess(access, _pairing, identity, remote, _logger);
        _state = new ControlSessionStateMachine(settings, registry, remote, _pairing, _fairPlay, endpoints, _logger, capture);
        _cast = new CastControl(settings, registry, remote, _logger, access, () => _pairing.VerifiedPublicKey);
    }

    /// <summary>The mirroring session this connection started with its keys SETUP, if any.</summary>
    public MirroringSession? Session => _state.Session;

    /// <summary>Where the control protocol of this connection stands.</summary>
    public ControlSessionPhase Phase => _state.Phase;

    /// <summary>The session's timing client, when it runs on a UDP socket.</summary>
    public NtpTimingClient? Timing => (_state.Timing as NtpTimingEndpoint)?.Client;

    internal bool IsRecording => _state.IsRecording;

    internal ControlSessionStateMachine State => _state;

    /// <summary>Answers one request. Protocol faults become RTSP statuses; nothing is thrown for sender mistakes.</summary>
    public async ValueTask<RtspResponse> HandleAsync(RtspRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        Session?.Liveness.Heard();
        try
        {
            return await DispatchAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is PlistFormatException or FairPlayException)
        {
            ControlSessionLog.BadRequest(_logger, SenderText.Show(request.Method), SenderText.Show(request.Path, SenderText.MaxPathLength), ex.Message);
            return RtspResponse.Status(RtspStatus.BadRequest);
        }
        catch (ControlRequestException ex)
        {
            ControlSessionLog.BadRequest(_logger, SenderText.Show(request.Method), SenderText.Show(request.Path, SenderText.MaxPathLength), ex.Message);
            return RtspResponse.Status(ex.StatusCode);
        }
        catch (SessionStateException ex) when (ex.StatusCode == RtspStatus.NotEnoughBandwidth)
        {
            ControlSessionLog.Busy(_logger, _remote, ex.Message);
            return RtspResponse.Explained(ex.StatusCode, ex.Message, ex.Close);
        }
        catch (SessionStateException ex)
        {
            ControlSessionLog.OutOfOrder(_logger, SenderText.Show(request.Method), SenderText.Show(request.Path, SenderText.MaxPathLength), ex.Message);
            return RtspResponse.Status(ex.StatusCode, ex.Close);
        }
    }

    /// <summary>The control connection closed: the session ends with <paramref name="reason"/> unless it already ended.</summary>
    public ValueTask CloseAsync(SessionEndReason reason)
    {
        _cast.Close(reason);
        return _state.EndAsync(reason);
    }

    public ValueTask DisposeAsync() => _state.EndAsync(SessionEndReason.Disconnect);

    private ValueTask<RtspResponse> DispatchAsync(RtspRequest request, CancellationToken cancellationToken)
    {
        var path = request.Path;
        var body = request.Body.Span;
        if (_cast.Handles(request))
        {
            return new(_cast.Handle(request));
        }

        return request.Method switch
        {
            "GET" when path == "/info" => new(Info(InfoRequest.Parse(body))),
            "POST" when path == "/pair-setup" => new(_pairing.HandlePairSetup(body)),
            "POST" when path == "/pair-verify" => new(_pairing.HandlePairVerify(body)),
            "POST" when path == "/pair-pin-start" => new(_access.HandlePairPinStart(request.Headers)),
            "POST" when path == "/pair-setup-pin" => new(_access.HandlePairSetupPin(body, request.Headers)),
            "POST" when path == "/fp-setup" => new(_fairPlay.HandleSetup(body)),
            "POST" when path is "/feedback" or "/audioMode" => new(RtspResponse.Ok()),
            "POST" when path == "/fp-setup2" => new(RefuseProtectedContent(request)),
            "GET" or "POST" => new(RtspResponse.Status(RtspStatus.NotFound)),
            "OPTIONS" => new(Options()),
            "SETUP" => SetupAsync(request, cancellationToken),
            "GET_PARAMETER" => new(_state.GetParameter(GetParameterRequest.Parse(request.ContentType, body))),
            "SET_PARAMETER" => new(_state.SetParameter(SetParameterRequest.Parse(request.ContentType, body))),
            "RECORD" => new(_state.Record()),
            "FLUSH" => new(_state.Flush()),
            "TEARDOWN" => _state.TeardownAsync(request.Body, cancellationToken),
            _ => new(RtspResponse.Status(RtspStatus.NotImplemented)),
        };
    }

    /// <summary>SETUP: the session part is admitted by the access policy before anything is decrypted or opened.</summary>
    private async ValueTask<RtspResponse> SetupAsync(RtspRequest request, CancellationToken cancellationToken)
    {
        var setup = SetupRequest.Parse(request.Body.Span);
        if (setup.RemoteControlOnly)
        {
            return _state.SetupRemoteControl(request.Headers);
        }

        if (setup.SessionPart is { } sessionPart && _state.Session is null)
        {
            // A full receiver refuses before it asks the operator, decrypts a key or opens a socket.
            _state.ThrowIfFull();
            var refusal = await _access.AdmitSessionAsync(SetupSessionRequest.Parse(sessionPart), request, cancellationToken).ConfigureAwait(false);
            if (refusal is not null)
            {
                return refusal;
            }
        }

        return _state.Setup(setup, request.Headers);
    }

    /// <summary>
    /// <c>POST /fp-setup2</c> asks for FairPlay v2, which protected (DRM) video needs. This receiver has only the
    /// FairPlay v3 of screen mirroring, so it answers 421 Misdirected Request as open receivers do, after which
    /// the sender falls back or tells its user the content cannot be shown; the operator is told why.
    /// </summary>
    private RtspResponse RefuseProtectedContent(RtspRequest request)
    {
        // A video cast that asked for it fails with "protected video cannot be played in a browser".
        _cast.ProtectedContent(request);
        var body = request.Body.Span;
        var version = body.Length > 4 ? body[4] : 0;
        var detail = $"protected content: the sender asked for FairPlay v2 (fp-setup2, version byte {version}); only screen-mirroring FairPlay v3 is served, answered 421";
        _state.Notice(SenderNoticeKind.ProtectedContent, request.Headers, detail);
        return RtspResponse.Status(RtspStatus.MisdirectedRequest);
    }

    private RtspResponse Info(InfoRequest request)
    {
        var reply = request.Qualifier is { } names ? InfoResponse.BuildQualified(_settings, names) : InfoResponse.Build(_settings);
        return RtspResponse.WithBody(BinaryPlist.Write(reply), BinaryPlistType);
    }

    private static RtspResponse Options()
    {
        var response = RtspResponse.Ok();
        response.Headers.Add("Public", "SETUP, RECORD, FLUSH, TEARDOWN, OPTIONS, GET_PARAMETER, SET_PARAMETER, POST, GET");
        return response;
    }
}
