using Receiver.Core.Sessions;

namespace Receiver.Web.Casting;

/// <summary>
/// The origins the viewer page of one HLS cast (<c>GET /view/{id}</c>) may fetch segments from, for its
/// Content-Security-Policy: the segment origins decided for the page's origin (<see cref="CastEndpoints.DirectOriginsAsync"/>),
/// the same decision its direct playlists follow. Every other response, a room display (<c>/view/</c>) included,
/// gets none and its pages fetch segments through the proxy.
/// </summary>
public static class CastPagePolicy
{
    public static async Task<IReadOnlyCollection<string>?> ConnectSourcesAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var segments = context.Request.Path.Value?.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (!HttpMethods.IsGet(context.Request.Method) || segments is not ["view", var id]
            || !context.RequestServices.GetRequiredService<SessionRegistry>().TryGet(id, out var session)
            || session.Cast?.Hls is not { } hls)
        {
            return null;
        }

        try
        {
            return await CastEndpoints.DirectOriginsAsync(context, hls, context.RequestServices.GetRequiredService<CastFetcher>()).WaitAsync(context.RequestAborted);
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }
}
