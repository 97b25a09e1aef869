using System.Net;
using Microsoft.Extensions.Logging;
using Receiver.Core.Access;
using Receiver.Core.FairPlay;
using Receiver.Core.Plist;
using Receiver.Core.Rtsp;
using Receiver.Core.Sessions;
using Receiver.Core.Timing;

namespace Receiver.Core.Legacy;

/// <summary>
/// The HTTP part of one legacy port-7100 connection (<c>GET /stream.xml</c>, <c>POST /fp-setup</c>, <c>POST /stream</c>).
/// After <c>POST /stream</c> the same connection carries mirror packets: <see cref="Stream"/> says how to decrypt them.
/// </summary>
public sealed partial class LegacyMirrorConnection : IAsyncDisposable
{
    private readonly ReceiverSettings _settings;
    private readonly SessionRegistry _registry;
    private readonly IPEndPoint _remote;
    private readonly int _senderTimingPort;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly FairPlaySetup _fairPlay = new();
    private readonly SenderAccessPolicy? _access;
    private readonly Diagnostics.ProtocolCapture? _capture;
    private NtpTimingClient? _timing;

    /// <summary>A legacy connection open to every sender.</summary>
    public LegacyMirrorConnection(ReceiverSettings settings, SessionRegistry registry, IPEndPoint remote, int senderTimingPort, ILoggerFactory loggerFactory)
        : this(settings, registry, remote, senderTimingPort, loggerFactory, null)
    {
    }

    /// <summary>
    /// A legacy connection whose sender is admitted by <paramref name="access"/> (null: every sender); the session it
    /// starts records its packet headers and timing replies in <paramref name="capture"/>, when given.
    /// </summary>
    public LegacyMirrorConnection(ReceiverSettings settings, SessionRegistry registry, IPEndPoint remote, int senderTimingPort, ILoggerFactory loggerFactory, SenderAccessPolicy? access, Diagnostics.ProtocolCapture? capture = null)
    {
        _capture = capture;
        _access = access;
        _settings = settings;
        _registry = registry;
        _remote = remote;
        _senderTimingPort = senderTimingPort;
        _loggerFactory = loggerFactory;
        _logger = loggerFactory.CreateLogger<LegacyMirrorConnection>();
    }

    /// <summary>Set by <c>POST /stream</c>: the session and the stream's key; the connection now carries packets.</summary>
    public PendingMirrorStream? Stream { get; private set; }

    public NtpTimingClient? Timing => _timing;

    /// <summary>
    /// Answers one HTTP request; a suppressed response means none is sent (<c>POST /stream</c>). <c>POST /stream</c>
    /// from a sender the access policy does not trust waits for the operator's approval.
    /// </summary>
    public async ValueTask<RtspResponse> HandleAsync(RtspRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (Stream is null && request.Method == "POST" && request.Path == "/stream" && _access is not null)
        {
            try
            {
                var stream = LegacyStreamRequest.Parse(request.Body.Span);
                var refusal = await AdmitAsync(stream.DeviceAddress, request.Headers["X-Apple-Client-Name"], cancellationToken).ConfigureAwait(false);
                if (refusal is not null)
                {
                    return refusal;
                }
            }
            catch (PlistFormatException ex)
            {
                return Refuse(request, ex.Message);
            }
        }

        return Dispatch(request);
    }

    private RtspResponse Dispatch(RtspRequest request)
    {
        if (Stream is not null)
        {
            return Refuse(request, "request after POST /stream");
        }

        try
        {
            return (request.Method, request.Path) switch
            {
                ("GET", "/stream.xml") => RtspResponse.WithBody(StreamXml.Build(_settings.Display), StreamXml.ContentType),
                ("POST", "/fp-setup") => RtspResponse.WithBody(_fairPlay.ProcessMessage(request.Body.Span), "application/octet-stream"),
                ("POST", "/stream") => StartStream(request),
                ("GET" or "POST", _) => RtspResponse.Status(RtspStatus.NotFound),
                _ => RtspResponse.Status(RtspStatus.MethodNotAllowed),
            };
        }
        catch (FairPlayException ex)
        {
            return Refuse(request, ex.Message);
        }
        catch (PlistFormatException ex)
        {
            return Refuse(request, ex.Message);
        }
    }

    private RtspResponse StartStream(RtspRequest request)
    {
        if (_registry.IsExpectingMirrorConnection(_remote.Address))
        {
            return Refuse(request, "a modern mirroring session from this address is waiting for its data connection");
        }

        var stream = LegacyStreamRequest.Parse(request.Body.Span);
        ReadOnlyMemory<byte> key = default;
        ReadOnlyMemory<byte> iv = default;
        if (stream.Param1 is { } param1 && stream.Param2 is { } param2)
        {
            if (!_fairPlay.HasMessage3)
            {
                return Refuse(request, "'param1' without a FairPlay setup on this connection");
            }

            key = _fairPlay.DecryptKey(param1.Span);
            iv = param2;
        }

        var sender = new SenderInfo(stream.DeviceAddress, request.Headers["X-Apple-Client-Name"], null, "iOS", null, stream.Version, _remote.Address.ToString());
        if (!_registry.TryStart(sender, "legacy", _remote.Address, out var session))
        {
            var reason = $"the receiver is busy: {_registry.MaxSessions} of {_registry.MaxSessions} sessions in use";
            LogRefused(_logger, _remote, SenderText.Show(request.Method), SenderText.Show(request.Path, SenderText.MaxPathLength), reason);
            return RtspResponse.Explained(RtspStatus.NotEnoughBandwidth, reason, close: true);
        }

        if (_capture is not null)
        {
            session.Capture = _capture;
            _capture.Attach(session.Id);
        }

        session.SetVideoActive(true);
        Stream = new PendingMirrorStream(session, unchecked((ulong)stream.SessionId), key, iv, stream.Encrypted);
        _timing = new NtpTimingClient(new IPEndPoint(_remote.Address, _senderTimingPort), session.Clock, _registry.Time,
            _loggerFactory.CreateLogger<NtpTimingClient>(), format: TimingPacketFormat.NtpV4) { SenderDatagrams = session.SenderDatagrams, Capture = session.Capture };
        _timing.Start();
        LogStreamStarted(_logger, SessionLogId.Of(session.Id), _remote, stream.Encrypted);
        return new RtspResponse(RtspStatus.Ok) { Suppressed = true };
    }

    /// <summary>
    /// The legacy flow has no pairing: a sender on the allow list or in the register mirrors, an open receiver takes
    /// anyone, and any other sender waits for the operator's approval. Null: admitted; otherwise 403 and close.
    /// </summary>
    private async ValueTask<RtspResponse?> AdmitAsync(string deviceId, string? name, CancellationToken cancellationToken)
    {
        var access = _access!;
        switch (access.CheckDevice(deviceId, _remote.Address))
        {
            case AccessDecision.Refused refused:
                access.Refuse(deviceId, name, refused.Reason, _remote.Address);
                return RtspResponse.Status(RtspStatus.Forbidden, close: true);

            case AccessDecision.Trusted { How: TrustSource.Register }:
                access.Admit(deviceId, name, null, null, TrustMethod.Approval, _remote.Address);
                return null;

            case AccessDecision.Trusted:
                return null;

            default:
                return await access.ApproveAsync(deviceId, name, null, null, _remote, cancellationToken).ConfigureAwait(false) is null
                    ? null
                    : RtspResponse.Status(RtspStatus.Forbidden, close: true);
        }
    }

    private RtspResponse Refuse(RtspRequest request, string reason)
    {
        LogRefused(_logger, _remote, SenderText.Show(request.Method), SenderText.Show(request.Path, SenderText.MaxPathLength), reason);
        return RtspResponse.Status(RtspStatus.BadRequest, close: true);
    }

    /// <summary>The connection closed: the session ends with <paramref name="reason"/> unless it already ended.</summary>
    public async ValueTask CloseAsync(SessionEndReason reason)
    {
        try
        {
            if (_timing is not null)
            {
                var timing = _timing;
                _timing = null;
                await timing.DisposeAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            if (Stream?.Session is { } session)
            {
                _registry.End(session, reason);
            }
        }
    }

    public ValueTask DisposeAsync() => CloseAsync(SessionEndReason.Disconnect);

    [LoggerMessage(EventId = 300, Level = LogLevel.Information, Message = "Session {SessionId}: legacy stream from {Remote} (encrypted: {Encrypted})")]
    private static partial void LogStreamStarted(ILogger logger, string sessionId, IPEndPoint remote, bool encrypted);

    [LoggerMessage(EventId = 301, Level = LogLevel.Warning, Message = "Legacy connection from {Remote} refused {Method} {Path}: {Reason}")]
    private static partial void LogRefused(ILogger logger, IPEndPoint remote, string method, string path, string reason);
}
