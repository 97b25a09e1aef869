using System.Globalization;
using Receiver.Core.Casting;
using Receiver.Core.Sessions;
using Receiver.Web.Security;

namespace Receiver.Web.Casting;

/// <summary>
/// What the viewer page of an HLS cast fetches from the receiver, same-origin: the rewritten master playlist
/// <c>/cast/{id}/hls/master.m3u8</c>, media playlists <c>/cast/{id}/hls/{n}.m3u8</c> and segments through the bounded
/// proxy <c>/cast/{id}/seg/{n}</c> (only segments the cast's playlists named). The cast's own viewer page loads the
/// same playlists under <c>/cast/{id}/hls/direct/</c>: there, segments of origins that allow the page's origin keep
/// their own address (<see cref="HlsCast.DirectOriginsAsync"/>). Viewer policy, like the media WebSocket.
/// A playlist that cannot be had answers 502 with the reason (and fails the cast); segments that fail
/// <see cref="FailuresBeforeFailing"/> times in a row fail it too.
/// </summary>
public static partial class CastEndpoints
{
    public const string Route = "/cast/{id}";

    /// <summary>Segment fetches that fail one after another before the cast is failed.</summary>
    public const int FailuresBeforeFailing = 3;

    private const string PlaylistType = "application/vnd.apple.mpegurl";
    private static readonly TimeSpan PlaylistWait = TimeSpan.FromSeconds(20);

    public static WebApplication MapCastEndpoints(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var registry = app.Services.GetRequiredService<SessionRegistry>();
        registry.PlaylistFetcher = app.Services.GetRequiredService<CastFetcher>();
        registry.ViewerPresence = app.Services.GetRequiredService<Media.ViewerPresence>();
        var group = app.MapGroup(Route).RequireAuthorization(ReceiverPolicies.Viewer);
        group.MapGet("/hls/{name}", (HttpContext context, string id, string name, SessionRegistry r) => PlaylistAsync(context, id, name, r, null));
        group.MapGet("/hls/direct/{name}", (HttpContext context, string id, string name, SessionRegistry r, CastFetcher probe) => PlaylistAsync(context, id, name, r, probe));
        group.MapGet("/seg/{index:int}", SegmentAsync);
        return app;
    }

    /// <summary>
    /// The origins whose segments the viewer page of <paramref name="hls"/> at <paramref name="context"/>'s origin
    /// fetches directly (none for a page origin that is not plain http(s)); its page policy and its direct playlists
    /// both ask this.
    /// </summary>
    public static Task<IReadOnlySet<string>> DirectOriginsAsync(HttpContext context, HlsCast hls, ICorsProbe probe)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(hls);
        return CorsOrigin.OfPage(context.Request.Scheme, context.Request.Host.Value ?? string.Empty) is { } page
            ? hls.DirectOriginsAsync(page, probe)
            : Task.FromResult<IReadOnlySet<string>>(new HashSet<string>());
    }

    private static async Task PlaylistAsync(HttpContext context, string id, string name, SessionRegistry registry, ICorsProbe? probe)
    {
        if (!registry.TryGet(id, out var session) || session.Cast?.Hls is not { } hls || !name.EndsWith(".m3u8", StringComparison.Ordinal))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        using var wait = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, session.Ended);
        wait.CancelAfter(PlaylistWait);
        try
        {
            var stem = name[..^".m3u8".Length];
            var direct = probe is null || stem == "master" ? null : await DirectOriginsAsync(context, hls, probe).WaitAsync(wait.Token);
            var text = stem == "master" ? await hls.MasterAsync(wait.Token)
                : !int.TryParse(stem, NumberStyles.None, CultureInfo.InvariantCulture, out var index) ? null
                : direct is null ? await hls.MediaAsync(index, wait.Token)
                : await hls.MediaAsync(index, direct, wait.Token);
            if (text is null)
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return;
            }

            context.Response.ContentType = PlaylistType;
            context.Response.Headers.CacheControl = "no-store";
            await context.Response.WriteAsync(text, context.RequestAborted);
        }
        catch (HlsPlaylistException ex)
        {
            context.Response.StatusCode = StatusCodes.Status502BadGateway;
            await context.Response.WriteAsync(ex.Message, context.RequestAborted);
        }
        catch (OperationCanceledException) when (!context.RequestAborted.IsCancellationRequested)
        {
            context.Response.StatusCode = StatusCodes.Status504GatewayTimeout;
        }
    }

    private static async Task SegmentAsync(HttpContext context, string id, int index, SessionRegistry registry, CastFetcher fetcher, ILoggerFactory loggers)
    {
        if (!registry.TryGet(id, out var session) || session.Cast is not { Hls: { } hls } cast || hls.Segment(index) is not { } url)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        hls.SegmentProxied();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, session.Ended);
        var failure = await fetcher.CopySegmentAsync(session, url, context.Response, stop.Token);
        if (failure is null)
        {
            if (context.Response.StatusCode < StatusCodes.Status300MultipleChoices)
            {
                hls.SegmentArrived();
            }

            return;
        }

        LogSegmentFailed(loggers.CreateLogger("Receiver.Web.Casting"), SessionLogId.Of(session.Id), index, failure);
        if (hls.SegmentFailed() >= FailuresBeforeFailing)
        {
            cast.Fail(failure);
        }

        if (!context.Response.HasStarted)
        {
            await context.Response.WriteAsync(failure, context.RequestAborted);
        }
    }

    [LoggerMessage(EventId = 140, Level = LogLevel.Warning, Message = "Cast {SessionId}: segment {Index} failed: {Reason}")]
    private static partial void LogSegmentFailed(ILogger logger, string sessionId, int index, string reason);
}
