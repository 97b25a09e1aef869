using System.Net;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Receiver.Core.Access;
using Receiver.Core.Casting;
using Receiver.Core.Plist;
using Receiver.Core.Rtsp;

namespace Receiver.Core.Sessions;

/// <summary>
/// The video-casting requests of one control connection (HTTP/1.1, no CSeq, <c>X-Apple-Session-ID</c>):
/// <c>GET /server-info</c>, <c>POST /reverse</c>, <c>/play</c>, <c>/rate</c>, <c>/scrub</c>, <c>/stop</c>,
/// <c>GET /playback-info</c>, <c>PUT /setProperty</c>, <c>/getProperty</c> and <c>POST /action</c>. A cast is a session
/// of the registry; the requests find it by the sender's session id, so they may come on any connection. The cast
/// started on this connection ends when the connection closes. Opens no socket and reads no clock of its own.
/// </summary>
public sealed class CastControl
{
    private const string XmlPlistType = "text/x-apple-plist+xml";

    private readonly ReceiverSettings _settings;
    private readonly SessionRegistry _registry;
    private readonly IPEndPoint _remote;
    private readonly ILogger _logger;
    private readonly string _connectionSessionId = Guid.NewGuid().ToString("D").ToUpperInvariant();
    private MirroringSession? _started;
    private bool _protected;

    /// <summary>What a page and the API say about a video protected by FairPlay Streaming.</summary>
    public const string ProtectedVideo = HlsPlaylist.ProtectedVideo;

    /// <summary>Why a <c>/play</c> that asked for a viewer page is refused.</summary>
    public const string NoViewer = "no viewer page is open";

    private readonly SenderAccessPolicy? _access;
    private readonly Func<ReadOnlyMemory<byte>> _verifiedKey;

    /// <param name="access">Who may cast (null: everyone): in open mode every sender; otherwise senders the allow list or the register trusts.</param>
    /// <param name="verifiedKey">The key the sender proved with pair-verify on this connection (empty: none).</param>
    public CastControl(ReceiverSettings settings, SessionRegistry registry, IPEndPoint remote, ILogger logger, SenderAccessPolicy? access, Func<ReadOnlyMemory<byte>> verifiedKey)
    {
        _access = access;
        _verifiedKey = verifiedKey;
        _settings = settings;
        _registry = registry;
        _remote = remote;
        _logger = logger;
    }

    /// <summary>True for the requests this type answers (when casting is on).</summary>
    public bool Handles(RtspRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!_settings.CastEnabled)
        {
            return false;
        }

        return (request.Method, request.Path) switch
        {
            ("GET", "/server-info" or "/playback-info") => true,
            ("POST", "/reverse" or "/play" or "/rate" or "/scrub" or "/stop" or "/action") => true,
            ("PUT", "/setProperty") or ("POST", "/getProperty") or ("GET", "/getProperty") => true,
            _ => false,
        };
    }

    public RtspResponse Handle(RtspRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        // A casting phone polls /playback-info while its video plays: each request keeps its cast session alive.
        _registry.FindCast(AppleSessionId(request))?.Liveness.Heard();
        return request.Path switch
        {
            "/server-info" => ServerInfo(),
            "/reverse" => Reverse(request),
            "/play" => Play(request),
            "/rate" => WithCast(request, cast => cast.SetRate(CastQuery.Number(request.Query, "value") ?? throw BadQuery("rate", "value"))),
            "/scrub" => WithCast(request, cast => cast.Seek(CastQuery.Number(request.Query, "position") ?? throw BadQuery("scrub", "position"))),
            "/stop" => Stop(request),
            "/playback-info" => PlaybackInfoOf(request),
            "/setProperty" or "/getProperty" => PropertyAnswer(),
            "/action" => Action(request),
            _ => RtspResponse.Status(RtspStatus.NotFound),
        };
    }

    /// <summary>The connection closed: the cast it started ends with <paramref name="reason"/>.</summary>
    public void Close(SessionEndReason reason) => _started?.End(reason);

    private string AppleSessionId(RtspRequest request) =>
        SenderText.Clean(request.Headers["X-Apple-Session-ID"], 64) ?? _connectionSessionId;

    private RtspResponse ServerInfo()
    {
        var info = new PlistDict
        {
            ["deviceid"] = _settings.DeviceId,
            ["features"] = (long)(_settings.Features & 0xFFFFFFFF),
            ["macAddress"] = _settings.DeviceId,
            ["model"] = _settings.Model,
            ["osBuildVersion"] = "12B435",
            ["protovers"] = "1.0",
            ["srcvers"] = _settings.SourceVersion,
            ["vv"] = 2,
        };
        return RtspResponse.WithBody(XmlPlist.Write(info), XmlPlistType);
    }

    private static RtspResponse Reverse(RtspRequest request)
    {
        if (!string.Equals(request.Headers["Upgrade"], "PTTH/1.0", StringComparison.OrdinalIgnoreCase))
        {
            return RtspResponse.Explained(RtspStatus.BadRequest, "reverse: Upgrade must be PTTH/1.0");
        }

        var response = new RtspResponse(RtspStatus.SwitchingProtocols) { SwitchesProtocol = true };
        response.Headers.Add("Upgrade", "PTTH/1.0");
        response.Headers.Add("Connection", "Upgrade");
        return response;
    }

    private RtspResponse Play(RtspRequest request)
    {
        var play = CastPlayRequest.Parse(request.ContentType, request.Body.Span);
        var appleSessionId = AppleSessionId(request);
        if (_access?.CheckDevice(request.Headers["X-Apple-Device-ID"], _remote.Address, _verifiedKey().Span) is { } decision and not AccessDecision.Trusted)
        {
            // No PIN or approval dialogue for a cast: a sender must be trusted already (allow list, or remembered from mirroring).
            var why = decision is AccessDecision.Refused refused ? refused.Reason.ToString() : "only trusted senders may cast to this receiver";
            CastLog.Refused(_logger, _remote, why);
            return RtspResponse.Explained(RtspStatus.Forbidden, $"refused: {why}");
        }

        var refusal = _settings.CastUrls.Refusal(play.ContentLocation, out var url);
        if (refusal is not null)
        {
            CastLog.Refused(_logger, _remote, refusal);
            return RtspResponse.Explained(RtspStatus.Forbidden, $"refused: {refusal}");
        }

        if (play.RequiresViewer && _registry.ViewerPresence?.AnyPageOpen != true)
        {
            // The sender asked not to wait for a page: nothing could show the video now.
            _registry.Publish(new SenderNoticeEvent(string.Empty, _registry.Time.GetUtcNow(), SenderNoticeKind.CastRefused, _remote.ToString(), SenderText.Clean(request.Headers["X-Apple-Device-ID"]), NoViewer));
            CastLog.Refused(_logger, _remote, NoViewer);
            return RtspResponse.Explained(RtspStatus.ServiceUnavailable, $"refused: {NoViewer}");
        }

        // A new /play of a sender's session replaces its video, as on an Apple TV.
        _registry.FindCast(appleSessionId)?.End(SessionEndReason.Teardown);
        var source = url!.Scheme == CastUrlPolicy.PhoneScheme
            ? new FcupPlaylistSource(_registry.ReverseChannels, appleSessionId, _registry.Time)
            : url.AbsolutePath.EndsWith(".m3u8", StringComparison.OrdinalIgnoreCase) ? _registry.PlaylistFetcher : null;
        var kind = source is null ? CastMediaKind.File : CastMediaKind.Hls;
        var sender = new SenderInfo(
            SenderText.Clean(request.Headers["X-Apple-Device-ID"]),
            SenderText.Clean(play.ClientProcName) is { } app ? $"{app} ({_remote.Address})" : null,
            null,
            null,
            null,
            SenderText.Clean(request.Headers["User-Agent"]),
            _remote.Address.ToString());
        var title = SenderText.Clean(play.Title, 200);
        if (!_registry.TryStartCast(sender, _remote.Address, id => NewCast(id, appleSessionId, url, kind, source, title, play), out var session))
        {
            return RtspResponse.Explained(RtspStatus.ServiceUnavailable, $"busy: the receiver already has {_registry.MaxSessions} sessions");
        }

        var cast = session.Cast!;
        TellPhone(appleSessionId, cast, session);
        if (cast.Hls is { } hls)
        {
            // Fetched at once, so a playlist that cannot be had fails the cast even before a page opens.
            _ = hls.MasterAsync(session.Ended).ContinueWith(static t => _ = t.Exception, TaskScheduler.Default);
        }

        _started = session;
        WaitForViewer(cast, session);
        if (_protected)
        {
            cast.Fail(ProtectedVideo);
        }

        CastLog.Started(_logger, SessionLogId.Of(session.Id), _remote, url.Host, kind);
        return RtspResponse.Ok();
    }

    /// <summary>A cast no viewer page has reported on within <see cref="ReceiverSettings.CastNoViewerTimeout"/> fails, and the phone hears <c>stopped</c>.</summary>
    private void WaitForViewer(CastSession cast, MirroringSession session)
    {
        var timeout = _settings.CastNoViewerTimeout;
        var reason = $"no viewer page opened within {timeout.TotalSeconds.ToString("0", System.Globalization.CultureInfo.InvariantCulture)} s";
        var timer = _registry.Time.CreateTimer(_ => cast.FailUnwatched(reason), null, timeout, Timeout.InfiniteTimeSpan);
        session.Ended.Register(timer.Dispose);
    }

    /// <summary>Sends the phone each state change of its video over its reverse channel (when it opened one), and <c>stopped</c> at the end.</summary>
    private void TellPhone(string appleSessionId, CastSession cast, MirroringSession session)
    {
        void Send(string state)
        {
            if (_registry.ReverseChannels.Find(appleSessionId) is { } channel)
            {
                _ = channel.SendAsync(CastEvent.Write(state, appleSessionId), CancellationToken.None).AsTask()
                    .ContinueWith(static t => _ = t.Exception, TaskScheduler.Default);
            }
        }

        var last = CastState.Loading;
        cast.Changed += (snapshot, stateChanged) =>
        {
            if (stateChanged && snapshot.State != last && !session.HasEnded)
            {
                last = snapshot.State;
                Send(CastEvent.StateName(snapshot.State));
            }
        };
        session.Ended.Register(() => Send("stopped"));
        Send("loading");
    }

    private CastSession NewCast(string sessionId, string appleSessionId, Uri url, CastMediaKind kind, IPlaylistSource? source, string? title, CastPlayRequest play)
    {
        var hls = source is null ? null : new HlsCast(url, source, $"/cast/{sessionId}");
        // Seconds win; the older fraction of the video waits for a page to know the duration.
        var fraction = play.StartSeconds is null ? play.StartFraction : null;
        var cast = new CastSession(appleSessionId, url, kind, title, play.StartSeconds ?? 0, fraction, _registry.Time) { Hls = hls };
        if (hls is not null)
        {
            hls.Failed += reason => cast.Fail(reason);
        }

        return cast;
    }

    /// <summary>
    /// <c>fp-setup2</c> is FairPlay Streaming: the video is DRM-protected (Apple TV app, Disney+) and only Apple's
    /// players may decrypt it. The sender's cast fails with a clear reason (a cast the connection starts later too); the
    /// control session answers 421 and tells the operator why.
    /// </summary>
    public void ProtectedContent(RtspRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!_settings.CastEnabled)
        {
            return;
        }

        _protected = true;
        _registry.FindCast(AppleSessionId(request))?.Cast?.Fail(ProtectedVideo);
        CastLog.Refused(_logger, _remote, ProtectedVideo);
    }

    /// <summary>
    /// <c>POST /action</c>: an <c>unhandledURLResponse</c> completes the playlist request it answers; other actions
    /// (<c>playlistRemove</c>, <c>playlistInsert</c>) are accepted.
    /// </summary>
    private RtspResponse Action(RtspRequest request)
    {
        var (type, parameters) = FcupResponse.ReadAction(request.Body.Span);
        if (type == "unhandledURLResponse" && parameters is not null)
        {
            var response = FcupResponse.Parse(parameters);
            var source = _registry.FindCast(AppleSessionId(request))?.Cast?.Hls?.Source as FcupPlaylistSource;
            if (source is null || !source.Complete(response))
            {
                return RtspResponse.Explained(RtspStatus.NotFound, "no playlist request of that id is waiting");
            }
        }

        return RtspResponse.Ok();
    }

    private RtspResponse Stop(RtspRequest request)
    {
        if (_registry.FindCast(AppleSessionId(request)) is { } session)
        {
            session.End(SessionEndReason.Teardown);
        }

        return RtspResponse.Ok();
    }

    private RtspResponse PlaybackInfoOf(RtspRequest request)
    {
        if (_registry.FindCast(AppleSessionId(request))?.Cast is not { } cast)
        {
            // Nothing plays (stopped, or never started): what an Apple TV answers then.
            return RtspResponse.WithBody(XmlPlist.Write(new PlistDict { ["readyToPlay"] = false, ["uuid"] = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)) }), XmlPlistType);
        }

        return RtspResponse.WithBody(XmlPlist.Write(PlaybackInfo.Build(cast.Snapshot())), XmlPlistType);
    }

    private static RtspResponse PropertyAnswer() =>
        RtspResponse.WithBody(XmlPlist.Write(new PlistDict { ["errorCode"] = 0 }), XmlPlistType);

    private RtspResponse WithCast(RtspRequest request, Action<CastSession> change)
    {
        if (_registry.FindCast(AppleSessionId(request))?.Cast is not { } cast)
        {
            return RtspResponse.Explained(RtspStatus.NotFound, "no video is playing for this session");
        }

        change(cast);
        return RtspResponse.Ok();
    }

    private static Control.ControlRequestException BadQuery(string request, string name) =>
        new(RtspStatus.BadRequest, $"{request}: no numeric '{name}' in the query");
}
