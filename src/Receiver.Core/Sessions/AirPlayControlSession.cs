using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.Extensions.Logging;
using Receiver.Core.Audio;
using Receiver.Core.Crypto;
using Receiver.Core.FairPlay;
using Receiver.Core.Pairing;
using Receiver.Core.Plist;
using Receiver.Core.Rtsp;
using Receiver.Core.Timing;

namespace Receiver.Core.Sessions;

/// <summary>
/// The AirPlay control protocol for one control connection: <c>/info</c>, pairing, FairPlay, SETUP of the session
/// and its streams, volume, RECORD, FLUSH, feedback and TEARDOWN. Requests out of order get a precise RTSP error.
/// </summary>
public sealed partial class AirPlayControlSession : IAsyncDisposable
{
    private const string BinaryPlistType = "application/x-apple-binary-plist";
    private const string OctetStreamType = "application/octet-stream";
    private const string ParametersType = "text/parameters";

    private readonly ReceiverSettings _settings;
    private readonly PairingIdentity _identity;
    private readonly SessionRegistry _registry;
    private readonly IPEndPoint _remote;
    private readonly ILogger _logger;
    private readonly ILoggerFactory _loggerFactory;
    private readonly FairPlaySetup _fairPlay = new();
    private PairVerifySession? _pairVerify;
    private bool _pairSetupDone;
    private byte[]? _sessionKey;
    private byte[]? _audioIv;
    private NtpTimingClient? _timing;
    private AudioStreamEndpoint? _audio;
    private bool _videoSetUp;
    private bool _recording;

    public AirPlayControlSession(ReceiverSettings settings, PairingIdentity identity, SessionRegistry registry, IPEndPoint remote, ILoggerFactory loggerFactory)
    {
        _settings = settings;
        _identity = identity;
        _registry = registry;
        _remote = remote;
        _loggerFactory = loggerFactory;
        _logger = loggerFactory.CreateLogger<AirPlayControlSession>();
    }

    /// <summary>The mirroring session this connection started with its keys SETUP, if any.</summary>
    public MirroringSession? Session { get; private set; }

    public NtpTimingClient? Timing => _timing;

    /// <summary>Answers one request. Protocol faults become RTSP statuses; nothing is thrown for sender mistakes.</summary>
    public async ValueTask<RtspResponse> HandleAsync(RtspRequest request, CancellationToken cancellationToken)
    {
        try
        {
            return await DispatchAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (PlistFormatException ex)
        {
            LogBadRequest(_logger, request.Method, request.Path, ex.Message);
            return RtspResponse.Status(RtspStatus.BadRequest);
        }
        catch (FairPlayException ex)
        {
            LogBadRequest(_logger, request.Method, request.Path, ex.Message);
            return RtspResponse.Status(RtspStatus.BadRequest);
        }
        catch (SessionStateException ex)
        {
            LogOutOfOrder(_logger, request.Method, request.Path, ex.Message);
            return RtspResponse.Status(ex.StatusCode, ex.Close);
        }
    }

    private ValueTask<RtspResponse> DispatchAsync(RtspRequest request, CancellationToken cancellationToken)
    {
        var path = request.Path;
        switch (request.Method)
        {
            case "GET" when path == "/info":
                return new(HandleInfo(request));
            case "POST" when path == "/pair-setup":
                return new(HandlePairSetup(request));
            case "POST" when path == "/pair-verify":
                return new(HandlePairVerify(request));
            case "POST" when path == "/fp-setup":
                return new(HandleFairPlaySetup(request));
            case "POST" when path is "/feedback" or "/audioMode":
                return new(RtspResponse.Ok());
            case "POST" when path == "/fp-setup2":
                return new(RtspResponse.Status(421));
            case "GET" or "POST":
                return new(RtspResponse.Status(RtspStatus.NotFound));
            case "OPTIONS":
                return new(HandleOptions());
            case "SETUP":
                return new(HandleSetup(request));
            case "GET_PARAMETER":
                return new(HandleGetParameter(request));
            case "SET_PARAMETER":
                return new(HandleSetParameter(request));
            case "RECORD":
                return new(HandleRecord());
            case "FLUSH":
                RequireSession("FLUSH");
                return new(RtspResponse.Ok());
            case "TEARDOWN":
                return HandleTeardownAsync(request, cancellationToken);
            default:
                return new(RtspResponse.Status(RtspStatus.NotImplemented));
        }
    }

    private RtspResponse HandleInfo(RtspRequest request)
    {
        if (!request.Body.IsEmpty && BinaryPlist.IsBinaryPlist(request.Body.Span))
        {
            var body = BinaryPlist.Read(request.Body.Span);
            if (body is PlistDict dict && dict.TryGetValue("qualifier", out var qualifier) && qualifier is PlistArray names)
            {
                var reply = InfoResponse.BuildQualified(_settings, names.OfType<PlistString>().Select(s => s.Value));
                return RtspResponse.WithBody(BinaryPlist.Write(reply), BinaryPlistType);
            }
        }

        return RtspResponse.WithBody(BinaryPlist.Write(InfoResponse.Build(_settings)), BinaryPlistType);
    }

    private RtspResponse HandlePairSetup(RtspRequest request)
    {
        try
        {
            var reply = PairSetup.HandlePairSetup(request.Body.Span, _identity);
            _pairSetupDone = true;
            return RtspResponse.WithBody(reply, OctetStreamType);
        }
        catch (PairingException ex)
        {
            LogBadRequest(_logger, request.Method, request.Path, ex.Message);
            return RtspResponse.Status(RtspStatus.BadRequest);
        }
    }

    private RtspResponse HandlePairVerify(RtspRequest request)
    {
        var body = request.Body.Span;
        if (body.Length != 68)
        {
            LogBadRequest(_logger, request.Method, request.Path, $"pair-verify body of {body.Length} bytes, expected 68");
            return RtspResponse.Status(RtspStatus.BadRequest);
        }

        if (!_pairSetupDone)
        {
            throw new SessionStateException(RtspStatus.MethodNotValidInThisState, "pair-verify before pair-setup");
        }

        try
        {
            if (body[0] == 1)
            {
                _pairVerify = new PairVerifySession(_identity);
                return RtspResponse.WithBody(_pairVerify.ProcessPhase1(body), OctetStreamType);
            }

            if (_pairVerify is null)
            {
                throw new SessionStateException(RtspStatus.MethodNotValidInThisState, "pair-verify phase 2 before phase 1");
            }

            _pairVerify.ProcessPhase2(body);
            LogPaired(_logger, _remote);
            return RtspResponse.WithBody(ReadOnlyMemory<byte>.Empty, OctetStreamType);
        }
        catch (PairingException ex)
        {
            LogPairingRefused(_logger, _remote, ex.Message);
            _pairVerify = null;
            return RtspResponse.Status(RtspStatus.ClientAuthenticationFailure, close: true);
        }
    }

    private RtspResponse HandleFairPlaySetup(RtspRequest request)
    {
        var reply = _fairPlay.ProcessMessage(request.Body.Span);
        return RtspResponse.WithBody(reply, OctetStreamType);
    }

    private static RtspResponse HandleOptions()
    {
        var response = RtspResponse.Ok();
        response.Headers.Add("Public", "SETUP, RECORD, FLUSH, TEARDOWN, OPTIONS, GET_PARAMETER, SET_PARAMETER, POST, GET");
        return response;
    }

    private RtspResponse HandleSetup(RtspRequest request)
    {
        if (request.Body.IsEmpty)
        {
            throw new SessionStateException(RtspStatus.BadRequest, "SETUP without a plist body");
        }

        var body = BinaryPlist.Read(request.Body.Span) as PlistDict
            ?? throw new PlistFormatException("SETUP body is not a dictionary");
        var reply = new PlistDict();
        var handled = false;

        if (body.ContainsKey("ekey") || body.ContainsKey("eiv") || body.ContainsKey("timingPort"))
        {
            SetupSession(body, request, reply);
            handled = true;
        }

        if (body.TryGetValue("streams", out var streamsValue))
        {
            var streams = streamsValue as PlistArray ?? throw new PlistFormatException("'streams' is not an array");
            var replies = new List<PlistValue>();
            foreach (var entry in streams)
            {
                var stream = entry as PlistDict ?? throw new PlistFormatException("a 'streams' entry is not a dictionary");
                replies.Add(SetupStream(stream));
            }

            reply["streams"] = new PlistArray(replies.ToArray());
            handled = true;
        }

        if (!handled)
        {
            throw new SessionStateException(RtspStatus.BadRequest, "SETUP with neither keys nor streams");
        }

        return RtspResponse.WithBody(BinaryPlist.Write(reply), BinaryPlistType);
    }

    private void SetupSession(PlistDict body, RtspRequest request, PlistDict reply)
    {
        if (Session is not null)
        {
            throw new SessionStateException(RtspStatus.MethodNotValidInThisState, "the session is already set up on this connection");
        }

        if (_settings.PairingRequired && _pairVerify is not { IsVerified: true })
        {
            throw new SessionStateException(RtspStatus.ClientAuthenticationFailure, "SETUP before pairing; this receiver requires pair-verify");
        }

        if (!_fairPlay.HasMessage3)
        {
            throw new SessionStateException(RtspStatus.MethodNotValidInThisState, "SETUP before fp-setup");
        }

        var ekey = body.GetData("ekey");
        var eiv = body.GetData("eiv");
        if (eiv.Length != 16)
        {
            throw new PlistFormatException($"'eiv' has {eiv.Length} bytes, expected 16");
        }

        var fairPlayKey = _fairPlay.DecryptKey(ekey.Span);
        var pairingHappened = _pairSetupDone || _pairVerify is not null;
        var secret = _pairVerify is { HasSharedSecret: true } ? _pairVerify.SharedSecret.Span : ReadOnlySpan<byte>.Empty;
        _sessionKey = SessionKeys.DeriveSessionKey(fairPlayKey, secret, pairingHappened);
        _audioIv = eiv.ToArray();

        var sender = new SenderInfo(
            body.GetOptionalString("deviceID") ?? request.Headers["X-Apple-Device-ID"],
            body.GetOptionalString("name") ?? request.Headers["X-Apple-Client-Name"],
            body.GetOptionalString("model"),
            body.GetOptionalString("osName"),
            body.GetOptionalString("osVersion"),
            body.GetOptionalString("sourceVersion"),
            _remote.Address.ToString());

        Session = _registry.Start(sender, "airplay", _remote.Address);
        var timingPort = body.TryGetValue("timingPort", out var tp) && tp is PlistInteger port ? (int)port.AsInt64() : 0;
        if (timingPort is > 0 and <= 65535)
        {
            // Whatever the sender's epoch (timingProtocol "NTP" or none), its replies go to the session's clock as sent.
            _timing = new NtpTimingClient(new IPEndPoint(_remote.Address, timingPort), Session.Clock, _registry.Time, _loggerFactory.CreateLogger<NtpTimingClient>());
            _timing.Start();
        }

        Session.SetVolume(_settings.InitialVolume);
        LogSessionStarted(_logger, Session.Id, sender.Name ?? "?", sender.Model ?? "?", _remote);

        reply["eventPort"] = 0;
        reply["timingPort"] = _timing?.LocalPort ?? 0;
    }

    private PlistDict SetupStream(PlistDict stream)
    {
        var session = RequireSession("SETUP of a stream");
        var type = stream.GetInt64("type");
        switch (type)
        {
            case (long)StreamKind.Video:
            {
                var id = stream.TryGetValue("streamConnectionID", out var idValue) && idValue is PlistInteger idInteger
                    ? idInteger.AsUInt64Reinterpret()
                    : throw new PlistFormatException("video stream without 'streamConnectionID'");
                var (key, iv) = SessionKeys.DeriveMirrorKeys(_sessionKey!, id);
                _registry.ExpectMirrorConnection(new PendingMirrorStream(session, id, key, iv));
                _videoSetUp = true;
                session.SetVideoActive(true);
                _registry.Publish(new StreamStartedEvent(session.Id, _registry.Time.GetUtcNow(), StreamKind.Video, null, 0, 0));
                return new PlistDict { ["type"] = type, ["dataPort"] = _settings.MirrorPort };
            }

            case (long)StreamKind.Audio:
            {
                var compression = stream.TryGetValue("ct", out var ct) && ct is PlistInteger ctInt ? (int)ctInt.AsInt64() : 8;
                var samplesPerFrame = stream.TryGetValue("spf", out var spf) && spf is PlistInteger spfInt ? (int)spfInt.AsInt64() : 480;
                var controlPort = stream.TryGetValue("controlPort", out var cp) && cp is PlistInteger cpInt ? (int)cpInt.AsInt64() : 0;
                _audio?.Dispose();
                _audio = AudioStreamEndpoint.Open(_remote.Address, new AudioStreamParameters(compression, samplesPerFrame, controlPort, _sessionKey!, _audioIv!), session.Media, session.Clock, null, _loggerFactory.CreateLogger<AudioStreamEndpoint>());
                session.SetAudioActive(true);
                _registry.Publish(new StreamStartedEvent(session.Id, _registry.Time.GetUtcNow(), StreamKind.Audio, AudioStreamParameters.CodecName(compression), 0, 0));
                return new PlistDict { ["type"] = type, ["dataPort"] = _audio.DataPort, ["controlPort"] = _audio.ControlPort };
            }

            default:
                throw new SessionStateException(RtspStatus.UnsupportedMediaType, $"stream type {type} is not supported", close: true);
        }
    }

    private RtspResponse HandleGetParameter(RtspRequest request)
    {
        var text = Encoding.ASCII.GetString(request.Body.Span).Trim();
        if (!string.Equals(request.ContentType, ParametersType, StringComparison.OrdinalIgnoreCase) || !text.Equals("volume", StringComparison.Ordinal))
        {
            return RtspResponse.Status(RtspStatus.ParameterNotUnderstood);
        }

        var volume = Session?.VolumeDb ?? _settings.InitialVolume;
        var body = Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"volume: {volume:F6}\r\n"));
        return RtspResponse.WithBody(body, ParametersType);
    }

    private RtspResponse HandleSetParameter(RtspRequest request)
    {
        if (!string.Equals(request.ContentType, ParametersType, StringComparison.OrdinalIgnoreCase))
        {
            // Artwork and DMAP metadata are accepted and ignored: they belong to audio-only sessions.
            return RtspResponse.Ok();
        }

        var text = Encoding.ASCII.GetString(request.Body.Span);
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                return RtspResponse.Status(RtspStatus.ParameterNotUnderstood);
            }

            var name = line[..colon].Trim();
            var value = line[(colon + 1)..].Trim();
            if (name == "volume")
            {
                if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var volume) || double.IsNaN(volume) || volume > 0 || (volume < -30 && volume != -144))
                {
                    return RtspResponse.Status(RtspStatus.BadRequest);
                }

                var session = RequireSession("SET_PARAMETER volume");
                session.SetVolume(volume);
                session.Media.PublishVolume(volume);
                _registry.Publish(new VolumeChangedEvent(session.Id, _registry.Time.GetUtcNow(), volume));
            }
        }

        return RtspResponse.Ok();
    }

    private RtspResponse HandleRecord()
    {
        RequireSession("RECORD");
        _recording = true;
        var response = RtspResponse.Ok();
        response.Headers.Add("Audio-Latency", _settings.AudioLatencySamples.ToString(CultureInfo.InvariantCulture));
        return response;
    }

    private async ValueTask<RtspResponse> HandleTeardownAsync(RtspRequest request, CancellationToken cancellationToken)
    {
        var session = RequireSession("TEARDOWN");
        var kinds = new List<long>();
        if (!request.Body.IsEmpty)
        {
            var body = BinaryPlist.Read(request.Body.Span) as PlistDict
                ?? throw new PlistFormatException("TEARDOWN body is not a dictionary");
            if (body.TryGetValue("streams", out var streamsValue))
            {
                var streams = streamsValue as PlistArray ?? throw new PlistFormatException("'streams' is not an array");
                foreach (var entry in streams)
                {
                    if (entry is PlistDict stream && stream.TryGetValue("type", out var t) && t is PlistInteger typeValue)
                    {
                        kinds.Add(typeValue.AsInt64());
                    }
                }
            }
        }

        var response = RtspResponse.Ok();
        response.Headers.Add("Connection", "close");
        if (kinds.Count == 0)
        {
            await EndSessionAsync(SessionEndReason.Teardown).ConfigureAwait(false);
            return response;
        }

        if (kinds.Contains((long)StreamKind.Audio) && _audio is not null)
        {
            _audio.Dispose();
            _audio = null;
            session.Media.EndAudio();
            session.SetAudioActive(false);
            _registry.Publish(new StreamEndedEvent(session.Id, _registry.Time.GetUtcNow(), StreamKind.Audio));
        }

        if (kinds.Contains((long)StreamKind.Video) && _videoSetUp)
        {
            // A data connection that is still being recognised may claim the stream and drain what was sent before
            // the TEARDOWN; the stream's entry goes when the session ends or a new video stream is set up.
            _videoSetUp = false;
            session.SetVideoActive(false);
            session.StopVideo();
            _registry.Publish(new StreamEndedEvent(session.Id, _registry.Time.GetUtcNow(), StreamKind.Video));
        }

        cancellationToken.ThrowIfCancellationRequested();
        return response;
    }

    private MirroringSession RequireSession(string what)
    {
        if (Session is null)
        {
            throw new SessionStateException(RtspStatus.MethodNotValidInThisState, $"{what} before the session SETUP");
        }

        return Session;
    }

    private async ValueTask EndSessionAsync(SessionEndReason reason)
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
            if (Session is not null && _registry.End(Session, reason))
            {
                LogSessionEnded(_logger, Session.Id, reason);
            }
        }
    }

    /// <summary>The control connection closed: the session ends with <paramref name="reason"/> unless it already ended.</summary>
    public ValueTask CloseAsync(SessionEndReason reason) => EndSessionAsync(reason);

    public ValueTask DisposeAsync() => EndSessionAsync(SessionEndReason.Disconnect);

    internal bool IsRecording => _recording;

    [LoggerMessage(EventId = 100, Level = LogLevel.Warning, Message = "Refused {Method} {Path}: {Reason}")]
    private static partial void LogBadRequest(ILogger logger, string method, string path, string reason);

    [LoggerMessage(EventId = 101, Level = LogLevel.Warning, Message = "Out of order {Method} {Path}: {Reason}")]
    private static partial void LogOutOfOrder(ILogger logger, string method, string path, string reason);

    [LoggerMessage(EventId = 102, Level = LogLevel.Information, Message = "Sender {Remote} paired")]
    private static partial void LogPaired(ILogger logger, IPEndPoint remote);

    [LoggerMessage(EventId = 103, Level = LogLevel.Warning, Message = "Pairing with {Remote} refused: {Reason}")]
    private static partial void LogPairingRefused(ILogger logger, IPEndPoint remote, string reason);

    [LoggerMessage(EventId = 104, Level = LogLevel.Information, Message = "Session {SessionId} started: {Name} ({Model}) from {Remote}")]
    private static partial void LogSessionStarted(ILogger logger, string sessionId, string name, string model, IPEndPoint remote);

    [LoggerMessage(EventId = 105, Level = LogLevel.Information, Message = "Session {SessionId} ended: {Reason}")]
    private static partial void LogSessionEnded(ILogger logger, string sessionId, SessionEndReason reason);
}
